using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Repair;
using NodeHealth.Coordinator.Api;
using NodeHealth.Coordinator.Api.OpenApi;

namespace NodeHealth.Coordinator.History;

/// <summary>
/// GET /api/nodes/{name}/timeline: a node's findings, condition transitions, clearings and repairs from its retained
/// history. GET /api/history/export: the retained history as NDJSON, for replay (docs/simulation.md).
/// </summary>
public static class HistoryApi
{
    public const int DefaultTimelineLimit = 1000;
    public const int MaxTimelineLimit = 10_000;
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/nodes/{name}/timeline", async (string name, string? since, string? limit, HttpRequest request, JournalHistory history,
            IRequiredActor<FleetView> fleet, IRequiredActor<RepairGovernor> governor, CancellationToken cancellation) =>
        {
            if (QueryCheck.Unknown(request, "since", "limit") is { } unknown)
                return unknown;
            if (!NodeNames.IsValid(name))
                return ApiProblems.InvalidNodeName();
            if (ParseSince(since) is { Problem: { } sinceProblem })
                return ApiProblems.BadRequest("Invalid since", sinceProblem);
            var count = DefaultTimelineLimit;
            if (limit is { Length: > 0 } && (limit.Length > 6 || !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxTimelineLimit))
                return ApiProblems.BadRequest("Invalid limit", $"limit must be a whole number from 1 to {MaxTimelineLimit}");

            var (start, events) = await history.NodeAsync(name, cancellation);
            var (runs, repairsKnown) = await Repairs(governor, name, cancellation);
            if (events.Count == 0 && runs.Count == 0
                && await (await fleet.GetAsync(cancellation)).Ask<object>(new FleetView.FindNode(name), QueryTimeout, cancellation) is FleetView.NodeUnknown)
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown node", detail: $"No agent has reported for node '{name}'.");

            var from = ParseSince(since).At;
            var entries = NodeTimeline.Build(start, events, runs).Where(e => from is null || e.At >= from).ToList();
            var shown = entries.Count > count ? entries[^count..] : entries;
            return Results.Ok(new TimelineView(name, events.Count > 0 ? NodeTimeline.Utc(NodeTimeline.RecordedAt(events[0].Event)) : null,
                entries.Count > count, repairsKnown, shown));
        }).Documented(ApiDocs.History, "A node's timeline",
            "Findings, condition transitions, clearings, adoptions, agent silences, boots, reboot commands and repairs, oldest first, from the node's "
            + $"retained history (the journal) and the repair governor. At most limit entries (default {DefaultTimelineLimit}, the newest). "
            + "400: an invalid name, since or limit, or an unknown parameter; 404: no agent ever reported for the node.",
            StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, ApiDocs.Unavailable)
          .Produces<TimelineView>();

        app.MapGet("/api/history/export", async (string? node, string? since, HttpContext context, HistoryExport export) =>
        {
            if (QueryCheck.Unknown(context.Request, "node", "since") is { } unknown)
                return unknown;
            if (node is not null && !NodeNames.IsValid(node))
                return ApiProblems.InvalidNodeName();
            if (ParseSince(since) is { Problem: { } sinceProblem })
                return ApiProblems.BadRequest("Invalid since", sinceProblem);
            context.Response.ContentType = HistoryExport.ContentType;
            await export.WriteAsync(context.Response.Body, node, ParseSince(since).At, context.RequestAborted);
            return Results.Empty;
        }).Documented(ApiDocs.History, "Export the retained history (NDJSON)",
            "One JSON object a line, streamed: {node, sequenceNr, at, type, event} for each node event (oldest first per node), then the repair "
            + "governor's records as {node (null for a zone or the pause), source: repair-governor, sequenceNr, at, type, event}. "
            + "The input of `coordinator replay`. 400: an invalid node or since, or an unknown parameter.",
            StatusCodes.Status400BadRequest)
          .Produces<string>(StatusCodes.Status200OK, HistoryExport.ContentType);
        return app;
    }

    /// <summary>An ISO-8601 time (UTC unless it names its offset), or nothing.</summary>
    public static (DateTime? At, string? Problem) ParseSince(string? since)
    {
        if (since is not { Length: > 0 })
            return (null, null);
        if (since.Length > 40 || !char.IsDigit(since[0])
                              || !DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return (null, "since is an ISO-8601 time, e.g. 2026-11-28T01:00:00Z");
        return (at.UtcDateTime, null);
    }

    private static async Task<(List<RepairRunState> Runs, bool Known)> Repairs(IRequiredActor<RepairGovernor> governor, string node, CancellationToken cancellation)
    {
        try
        {
            var list = await (await governor.GetAsync(cancellation)).Ask<RepairList>(new GetRepairs(node), QueryTimeout, cancellation);
            return ([.. list.Runs.OrEmpty()], true);
        }
        catch (AskTimeoutException)
        {
            return ([], false); // The governor is moving to another coordinator: the node's own history still answers.
        }
    }
}

/// <summary>
/// A node's timeline, oldest first. <see cref="RetainedFrom"/>: the oldest retained event (older ones were trimmed);
/// <see cref="Truncated"/>: more entries than the limit, the newest shown; <see cref="RepairsKnown"/>: false when the
/// repair governor did not answer (its repairs are missing).
/// </summary>
public sealed record TimelineView(string Node, DateTime? RetainedFrom, bool Truncated, bool RepairsKnown, IReadOnlyList<TimelineEntry> Entries);
