/// An in-process channel's consumer end: credit goes straight to the producer's `OutputChannel`.
///
/// Owns nothing but the reference; runs on the consumer's thread.
struct LocalInputLink: InputLink {
    let output: OutputChannel

    func returnCredit(_ n: Int) {
        output.grant(n)
    }

    func close() {
        output.close(.closed, reason: nil)
    }
}
