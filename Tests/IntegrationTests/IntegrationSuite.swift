import Testing

/// All tests that start real processes run one after another: on a 2-core machine, parallel
/// clusters would starve each other's heartbeats and make the timing-based checks meaningless.
@Suite(.serialized) struct IntegrationSuite {}
