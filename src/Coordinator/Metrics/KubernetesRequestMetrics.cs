using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using NodeHealth.Actors.Metrics;

namespace NodeHealth.Coordinator.Metrics;

/// <summary>
/// Every call the Kubernetes client makes, timed and counted by verb, resource and status code (a handler in the
/// client's pipeline: one place, whatever the caller). Resources are the path's kinds without names, so the labels stay bounded.
/// </summary>
public sealed class KubernetesRequestMetrics : DelegatingHandler
{
    private static readonly Meter Meter = new(MeterNames.Kubernetes);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram("node_health.kubernetes.request.duration", "s",
        "Kubernetes API requests until the response headers, by verb, resource and code (the HTTP status, or 'error' when none came)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("node_health.kubernetes.request.errors", "{request}",
        "Kubernetes API requests that failed (status 400 and above, or no answer), by verb, resource and code");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var code = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            return response;
        }
        finally
        {
            Record(request.Method.Method, request.RequestUri, code, Stopwatch.GetElapsedTime(started));
        }
    }

    public static void Record(string method, Uri? uri, string code, TimeSpan took)
    {
        var verb = Verb(method, uri);
        var resource = Resource(uri?.AbsolutePath ?? "");
        Duration.Record(took.TotalSeconds, new("verb", verb), new("resource", resource), new("code", code));
        if (code == "error" || int.Parse(code, CultureInfo.InvariantCulture) >= 400)
            Errors.Add(1, new("verb", verb), new("resource", resource), new("code", code));
    }

    /// <summary>The HTTP method, or WATCH for a watch (a GET whose query asks for one).</summary>
    public static string Verb(string method, Uri? uri) =>
        method == "GET" && uri?.Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) == true ? "WATCH" : method.ToUpperInvariant();

    /// <summary>
    /// The kind a path addresses, with its subresource: /api/v1/nodes/n1/status → nodes/status,
    /// /api/v1/namespaces/default/pods/p/eviction → pods/eviction, /apis/karpenter.sh/v1/nodeclaims/c → nodeclaims.
    /// Names and namespaces are dropped; anything else is "other".
    /// </summary>
    public static string Resource(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var rest = parts switch
        {
            ["api", _, .. var tail] => tail,
            ["apis", _, _, .. var tail] => tail,
            _ => null,
        };
        if (rest is null or { Length: 0 })
            return "other";
        if (rest is ["namespaces", _, .. var namespaced] && namespaced.Length > 0)
            rest = namespaced;
        var kind = rest[0];
        return rest.Length >= 3 ? $"{kind}/{rest[2]}" : kind;
    }
}
