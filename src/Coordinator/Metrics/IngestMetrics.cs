using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using NodeHealth.Actors.Metrics;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Coordinator.Metrics;

/// <summary>
/// The agents' stream as metrics: findings and batches persisted and acknowledged (their rate is the ingest rate),
/// the time from a batch's arrival to its ack (sent only once persisted), streams ended by an error (by gRPC status
/// code), and the streams open now. No node label: these are the high-volume series.
/// </summary>
public static class IngestMetrics
{
    private static readonly Meter Meter = new(MeterNames.Ingest);

    private static readonly Counter<long> Findings = Meter.CreateCounter<long>("node_health.ingest.findings", "{finding}",
        "Findings and recoveries acknowledged to agents, by result (accepted, duplicate)");

    private static readonly Counter<long> Batches = Meter.CreateCounter<long>("node_health.ingest.batches", "{batch}",
        "Finding batches persisted and acknowledged");

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("node_health.ingest.errors", "{stream}",
        "Agent streams the coordinator ended with an error, by gRPC status code (InvalidArgument, Unauthenticated, Unavailable, ...)");

    // Buckets from a millisecond (SQLite, batched) to the 10 s persist timeout.
    private static readonly Histogram<double> AckDuration = Meter.CreateHistogram("node_health.ingest.ack.duration", "s",
        "Time from a batch's arrival to its ack, which is sent once the entity persisted it",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static Func<int> _openStreams = () => 0;

    static IngestMetrics()
    {
        Meter.CreateObservableGauge("node_health.ingest.streams", () => _openStreams(), "{stream}", "Agent streams open on this coordinator");
    }

    public static void Watch(Ingest.IngestStreams streams) => _openStreams = () => streams.Open;

    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>A batch (one agent run's part of it) is persisted: counts what its ack acknowledges and the time since the batch arrived (<see cref="Now"/>).</summary>
    public static BatchAck Acknowledged(BatchAck ack, long arrivedAt)
    {
        Batches.Add(1);
        AckDuration.Record(Stopwatch.GetElapsedTime(arrivedAt).TotalSeconds);
        Findings.Add(ack.Accepted, new KeyValuePair<string, object?>("result", "accepted"));
        Findings.Add(ack.Duplicates, new KeyValuePair<string, object?>("result", "duplicate"));
        return ack;
    }

    /// <summary>A stream ended with an error the agent sees: counted by its status code (a bounded set).</summary>
    public static void Failed(Exception e)
    {
        var code = e switch
        {
            RpcException rpc => rpc.StatusCode,
            OperationCanceledException => StatusCode.Cancelled,
            _ => StatusCode.Internal,
        };
        Errors.Add(1, new KeyValuePair<string, object?>("code", code.ToString()));
    }
}
