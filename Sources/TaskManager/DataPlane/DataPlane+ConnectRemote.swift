import NIOCore
import NIOPosix
import SluiceCore
import SluiceProtocol

extension DataPlane {
    /// Retries `connectOnce` with short back-off while the failure may heal, until `timeout`.
    func connectRemote(key: ChannelKey, index: Int, host: String, port: Int, sink: any ChannelEventSink,
                       initialCredit: UInt32, timeout: Duration) async throws -> InputChannel {
        try registry.admit(key)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(500))
        var attempts = 0
        while true {
            attempts += 1
            let remaining = max(deadline - clock.now, .milliseconds(1))
            do {
                let input = try await connectOnce(key: key, index: index, host: host, port: port, sink: sink,
                                                  initialCredit: initialCredit, budget: remaining)
                do {
                    try registry.register(input)
                } catch {
                    input.closeLink()
                    throw error
                }
                logger.debug("data channel connected", metadata: key.logMetadata.merging([
                    "producer-address": "\(host):\(port)", "attempts": "\(attempts)"]) { $1 })
                return input
            } catch let error as DataPlaneError where !error.isRetriable {
                logger.warning("cannot open data channel", metadata: key.logMetadata.merging([
                    "producer-address": "\(host):\(port)", "error": "\(error)"]) { $1 })
                throw error
            } catch {
                let left = deadline - clock.now
                guard left > .zero else {
                    throw DataPlaneError.timedOut(
                        "data channel \(key) from \(host):\(port) not open within \(timeout) (\(attempts) attempts); last error: \(error)")
                }
                try await Task.sleep(for: min(backoff.next(), left))
            }
        }
    }

    /// One connection: connect, handshake, OPEN, confirmation — all within `budget` (and the
    /// handshake timeout). Throws a `DataPlaneError`.
    private func connectOnce(key: ChannelKey, index: Int, host: String, port: Int, sink: any ChannelEventSink,
                             initialCredit: UInt32, budget: Duration) async throws -> InputChannel {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let opened = eventLoop.makePromise(of: Void.self)
        let link = RemoteInputLink()
        let input = InputChannel(key: key, index: index, link: link, registry: registry)
        let handshake = ClientHandshake(clusterID: settings.clusterID, secret: settings.secret, role: .dataChannel,
                                        peerName: settings.taskManagerID)
        let openTimeout = min(settings.handshakeTimeout, budget)
        let maxFrameBytes = settings.maxFrameBytes
        let tls = settings.tls
        var handlerLogger = logger
        handlerLogger[metadataKey: "producer-address"] = "\(host):\(port)"
        for (name, value) in key.logMetadata { handlerLogger[metadataKey: name] = value }
        let connectionLogger = handlerLogger
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(min(budget, .seconds(2)).nioTimeAmount)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try tls?.addClientHandlers(to: channel, logger: connectionLogger)
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(ByteToMessageHandler(DataFrameDecoder(maxFrameBytes: maxFrameBytes)))
                        try pipeline.addHandler(MessageToByteHandler(DataFrameEncoder()))
                        try pipeline.addHandler(InputConnectionHandler(
                            handshake: handshake, input: input, link: link, sink: sink, initialCredit: initialCredit,
                            opened: opened, openTimeout: openTimeout, logger: connectionLogger))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            let failure = DataPlaneError.connectionLost("cannot connect to \(host):\(port): \(error)")
            opened.fail(failure)  // in case the handler was never added
            throw failure
        }
        do {
            try await opened.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return input
    }
}
