using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using NodeHealth.Coordinator.Api.OpenApi;

namespace NodeHealth.Coordinator.Api.Live;

/// <summary>How often an idle stream gets a keep-alive comment (15 s; tests shorten it).</summary>
public sealed record LiveEventsSettings(TimeSpan KeepAliveEvery)
{
    public static readonly LiveEventsSettings Default = new(TimeSpan.FromSeconds(15));
}

/// <summary>The current state as live items, sent to a client whose Last-Event-ID cannot be continued from.</summary>
public interface ILiveState
{
    Task<IReadOnlyList<LiveItem>> CurrentAsync(CancellationToken cancellation);
}

/// <summary>
/// GET /api/events/stream: Server-Sent Events of this coordinator's fleet view and the repair governor. A reconnecting
/// client (Last-Event-ID header, or ?lastEventId= for scripts) first gets what it missed, or the current state when
/// its id is too old. The stream ends when the coordinator stops, and when the client falls too far behind.
/// </summary>
public static class LiveEventsApi
{
    public const string Path = "/api/events/stream";

    public static IEndpointRouteBuilder MapLiveEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Stream).Documented(ApiDocs.Live, "Live updates (Server-Sent Events)",
            "text/event-stream of `event: <type>\nid: <id>\ndata: <one-line JSON>\n\n`. Types: node (an item of GET /api/nodes; "
            + "{name, removed: true} once forgotten), repair (an item of GET /api/repairs' repairs), decision (an item of its decisions; "
            + "{node, state: Withdrawn, why} when dropped), approval (an item of its approvals), pause (an item of its pausedNodes; "
            + "{node, resumed: true, by, resumedAt} when resumed). A `: keep-alive` comment every 15 s. Send Last-Event-ID (or ?lastEventId=) to resume; "
            + "a client that falls too far behind is disconnected and may resume. 400: a Last-Event-ID that is not an event id.",
            StatusCodes.Status400BadRequest)
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");
        return app;
    }

    private static async Task<IResult> Stream(HttpContext context, [FromHeader(Name = "Last-Event-ID")] string? resume, string? lastEventId, LiveFeed feed,
        LiveEventsSettings settings, TimeProvider clock, IHostApplicationLifetime lifetime)
    {
        var resumeFrom = resume ?? lastEventId;
        long? after = null;
        if (resumeFrom is { Length: > 0 })
        {
            if (resumeFrom.Length > 20 || !long.TryParse(resumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return ApiProblems.BadRequest("Invalid Last-Event-ID", "Last-Event-ID (or lastEventId) is the id of an event this stream sent: a non-negative integer.");
            after = id;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var subscription = feed.Subscribe(after);
        using var dropped = subscription.DroppedToken.Register(context.Abort); // A write stuck on a client that does not read ends too.
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await response.StartAsync(stop.Token);
            foreach (var missed in subscription.Missed)
                await response.Body.WriteAsync(missed.ToWire(), stop.Token);
            if (subscription.Gap && context.RequestServices.GetService<ILiveState>() is { } state)
                foreach (var item in await state.CurrentAsync(stop.Token))
                    await response.Body.WriteAsync(new LiveEvent(subscription.LastIdAtStart, item.Type, item.Data).ToWire(), stop.Token);
            await response.Body.FlushAsync(stop.Token);
            await Follow(response, subscription, settings.KeepAliveEvery, clock, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested || subscription.IsDropped)
        {
            // The client left, the coordinator is stopping, or the client fell behind: the stream just ends.
        }

        return Results.Empty;
    }

    /// <summary>Writes each event as it comes, and a keep-alive comment whenever nothing came for a while.</summary>
    private static async Task Follow(HttpResponse response, LiveSubscription subscription, TimeSpan keepAliveEvery, TimeProvider clock, CancellationToken stop)
    {
        var events = subscription.Events;
        while (!stop.IsCancellationRequested)
        {
            using var quiet = new CancellationTokenSource(keepAliveEvery, clock);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop, quiet.Token);
            try
            {
                if (!await events.WaitToReadAsync(wait.Token))
                    return; // Dropped, or the subscription ended.
            }
            catch (OperationCanceledException) when (quiet.IsCancellationRequested && !stop.IsCancellationRequested)
            {
                await response.Body.WriteAsync(LiveEvent.KeepAlive, stop);
                await response.Body.FlushAsync(stop);
                continue;
            }

            while (events.TryRead(out var e))
                await response.Body.WriteAsync(e.ToWire(), stop);
            await response.Body.FlushAsync(stop);
        }
    }
}
