using ProtoBuf;

// Level 300: DateTime is google.protobuf.Timestamp on the wire and in the journal.
[assembly: CompatibilityLevel(CompatibilityLevel.Level300)]
