using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;

namespace NodeHealth.Coordinator.Repair.Replace.AutoScaling;

/// <summary>What Auto Scaling answered: the HTTP status, and the error's code and message or the activity it started.</summary>
public sealed record AutoScalingAnswer(int Status, string Code, string Message, string? Group = null)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// The one Auto Scaling call a replace needs, <c>TerminateInstanceInAutoScalingGroup</c> with
/// <c>ShouldDecrementDesiredCapacity=false</c> (the group launches a replacement), over the Query API, signed with
/// SigV4 under the credentials the AWS SDK finds (IRSA, EKS Pod Identity, environment, instance profile).
/// </summary>
public sealed class AutoScalingClient(HttpClient http, Uri endpoint, string region, Func<CancellationToken, Task<ImmutableCredentials>> credentials, TimeProvider clock)
{
    public const string Service = "autoscaling";

    public Uri Endpoint => endpoint;

    public string Region => region;

    public async Task<AutoScalingAnswer> TerminateInstanceAsync(string instanceId, CancellationToken cancellation)
    {
        var body = Encoding.UTF8.GetBytes($"Action=TerminateInstanceInAutoScalingGroup&InstanceId={Uri.EscapeDataString(instanceId)}" +
                                          "&ShouldDecrementDesiredCapacity=false&Version=2011-01-01");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        SigV4.Sign(request, body, await credentials(cancellation), region, Service, clock.GetUtcNow().UtcDateTime);
        using var response = await http.SendAsync(request, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        return Parse((int)response.StatusCode, text);
    }

    /// <summary>The Query API's XML: an ErrorResponse's code and message, or the activity's group and description.</summary>
    public static AutoScalingAnswer Parse(int status, string xml)
    {
        XElement? root;
        try
        {
            root = XDocument.Parse(xml).Root;
        }
        catch (System.Xml.XmlException)
        {
            return new(status, status is >= 200 and < 300 ? "" : ((HttpStatusCode)status).ToString(), $"an answer that is not XML: {Cut(xml)}");
        }

        string Value(string name) => root?.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        return status is >= 200 and < 300
            ? new(status, "", Value("Description"), Value("AutoScalingGroupName"))
            : new(status, Value("Code") is { Length: > 0 } code ? code : ((HttpStatusCode)status).ToString(), Value("Message"));
    }

    private static string Cut(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
