import Hummingbird

/// `GET /metrics` in the Prometheus text exposition format.
struct MetricsRoute<Context: RequestContext> {
    let render: @Sendable () -> String

    func register(on router: Router<Context>) {
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: render())))
        }
    }
}
