using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeHealth.Coordinator.Api.Live;

namespace NodeHealth.Coordinator.Tests.Api.Live;

/// <summary>GET /api/events/stream on a real Kestrel, read by a real HTTP client, fed by the feed the coordinator's relay publishes to.</summary>
public sealed class LiveEventsStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private LiveFeed Feed => _app.Services.GetRequiredService<LiveFeed>();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new LiveFeed(TimeProvider.System));
        builder.Services.AddSingleton(new LiveEventsSettings(TimeSpan.FromMilliseconds(300)));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        _app = builder.Build();
        _app.MapLiveEvents();
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = Patience };
    }

    [Fact]
    public async Task A_published_event_arrives_as_event_id_and_data_lines()
    {
        using var stream = await Open();
        var published = Feed.Publish("node", "{\"name\":\"ip-10-0-0-1\"}");

        Assert.Equal(["event: node", $"id: {published.Id}", "data: {\"name\":\"ip-10-0-0-1\"}", ""], await stream.ReadEventAsync());
        Assert.Equal("text/event-stream", stream.ContentType);
    }

    [Fact]
    public async Task An_idle_stream_gets_keep_alive_comments()
    {
        using var stream = await Open();

        Assert.Equal([": keep-alive", ""], await stream.ReadEventAsync());
        Assert.Equal([": keep-alive", ""], await stream.ReadEventAsync());
    }

    [Fact]
    public async Task A_client_reconnecting_with_Last_Event_ID_first_gets_what_it_missed()
    {
        var seen = Feed.Publish("node", "{\"n\":1}");
        Feed.Publish("repair", "{\"n\":2}");
        var last = Feed.Publish("decision", "{\"n\":3}");

        using var stream = await Open(("Last-Event-ID", seen.Id.ToString()));

        Assert.Equal(["event: repair", $"id: {last.Id - 1}", "data: {\"n\":2}", ""], await stream.ReadEventAsync());
        Assert.Equal(["event: decision", $"id: {last.Id}", "data: {\"n\":3}", ""], await stream.ReadEventAsync());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999999")]
    public async Task A_Last_Event_ID_that_is_not_an_event_id_is_refused_with_a_problem(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, LiveEventsApi.Path);
        request.Headers.Add("Last-Event-ID", id);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Last-Event-ID", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stopping_the_coordinator_ends_open_streams_instead_of_waiting_for_them()
    {
        using var stream = await Open();

        var stopping = _app.StopAsync();
        var ended = await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.Same(stopping, ended); // The 30 s shutdown timeout was not what ended it.
        Assert.Null(await stream.ReadLineAsync()); // The stream ended cleanly (end of body).
        Assert.Equal(0, Feed.Clients);
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_and_publishing_never_waits_for_it()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        var address = new Uri(_app.Urls.First());
        await socket.ConnectAsync(IPAddress.Loopback, address.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {LiveEventsApi.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        await Eventually(() => Feed.Clients == 1, "the raw client never subscribed");
        using var reader = await Open(); // A client that reads, to show the others go on.

        var data = "{\"pad\":\"" + new string('x', 16 * 1024) + "\"}";
        for (var i = 0; i < 2000 && Feed.Dropped == 0; i++)
        {
            Feed.Publish("node", data);
            while ((await reader.ReadEventAsync())[0] != "event: node") { } // Keep the reading client current.
        }

        Assert.Equal(1, Feed.Dropped);
        await Eventually(() => Feed.Clients == 1, "the slow client was not let go");
        var after = Feed.Publish("node", "{\"after\":true}");
        Assert.Equal(["event: node", $"id: {after.Id}", "data: {\"after\":true}", ""], await reader.ReadEventAsync());
    }

    private async Task<EventStream> Open(params (string Name, string Value)[] headers)
    {
        var before = Feed.Clients;
        var request = new HttpRequestMessage(HttpMethod.Get, LiveEventsApi.Path);
        foreach (var (name, value) in headers)
            request.Headers.Add(name, value);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await Eventually(() => Feed.Clients > before, "the stream never subscribed to the feed");
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private static async Task Eventually(Func<bool> condition, string problem)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, problem);
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private sealed class EventStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public string? ContentType => response.Content.Headers.ContentType?.MediaType;

        public async Task<string?> ReadLineAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            return await reader.ReadLineAsync(timeout.Token);
        }

        /// <summary>The lines of one event (or comment), through its blank line.</summary>
        public async Task<List<string>> ReadEventAsync()
        {
            var lines = new List<string>();
            while (true)
            {
                var line = await ReadLineAsync() ?? throw new EndOfStreamException($"the stream ended after {string.Join("|", lines)}");
                lines.Add(line);
                if (line.Length == 0)
                    return lines;
            }
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
