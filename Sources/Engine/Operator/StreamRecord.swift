
/// A record flowing between operators: a row of the edge's declared schema in the binary row
/// format, with its event time. Every job's records are rows, also those a job's own record
/// formats decode (`RecordFormat`). `RecordCodec` frames them for the network.
public typealias StreamRecord = RowRecord
