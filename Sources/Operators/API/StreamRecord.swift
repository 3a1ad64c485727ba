import SluiceEngine

/// A record flowing between operators: a row of the edge's declared schema in the binary row
/// format, with its event time. Every job's records are rows, the attribution job's included
/// (its sources decode clicks and checkouts into rows of `AttributionSchemas`). `RecordCodec`
/// frames them for the network.
public typealias StreamRecord = RowRecord
