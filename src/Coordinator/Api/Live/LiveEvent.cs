using System.Text;

namespace NodeHealth.Coordinator.Api.Live;

/// <summary>
/// One Server-Sent Event of <c>GET /api/events/stream</c>: its type (node, repair, decision, approval, pause), its id (monotonic on this
/// coordinator) and its data, one line of JSON.
/// </summary>
public sealed record LiveEvent(long Id, string Type, string Data)
{
    public const string Node = "node";
    public const string Repair = "repair";
    public const string Decision = "decision";
    public const string Approval = "approval";
    public const string Pause = "pause";

    /// <summary>A comment line: EventSource ignores it, proxies and idle timeouts see traffic.</summary>
    public static readonly ReadOnlyMemory<byte> KeepAlive = Encoding.UTF8.GetBytes(": keep-alive\n\n");

    /// <summary>The wire form: <c>event: T\nid: N\ndata: JSON\n\n</c>. Data is one line (JSON escapes its line breaks; any other is cut).</summary>
    public byte[] ToWire() => Encoding.UTF8.GetBytes($"event: {Type}\nid: {Id}\ndata: {OneLine(Data)}\n\n");

    private static string OneLine(string data) => data.AsSpan().IndexOfAny('\r', '\n') < 0 ? data : data.ReplaceLineEndings(" ");
}

/// <summary>A type and its JSON, before the feed numbers it.</summary>
public sealed record LiveItem(string Type, string Data);
