using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace NodeHealth.Coordinator.Repair.Replace.AutoScaling;

/// <summary>
/// AWS Signature Version 4 for one request (the AWS SDK's service packages sign for their own clients; the Auto
/// Scaling package is not served here, so its one call is signed here): canonical request, string to sign, the
/// signing key derived from the secret per day, region and service, and the Authorization header.
/// </summary>
public static class SigV4
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Adds x-amz-date, the session token (if any) and Authorization to <paramref name="request"/>, whose body is <paramref name="body"/>.</summary>
    public static void Sign(HttpRequestMessage request, byte[] body, ImmutableCredentials credentials, string region, string service, DateTime utcNow)
    {
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Remove("x-amz-date");
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        if (credentials.UseToken)
        {
            request.Headers.Remove("x-amz-security-token");
            request.Headers.TryAddWithoutValidation("x-amz-security-token", credentials.Token);
        }

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = request.RequestUri!.Authority };
        foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
            headers[name.ToLowerInvariant()] = string.Join(",", values.Select(v => string.Join(' ', v.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = CanonicalRequest(request.Method.Method, request.RequestUri, headers, signedHeaders, Hex(SHA256.HashData(body)));
        var scope = $"{amzDate[..8]}/{region}/{service}/aws4_request";
        var toSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signature = Hex(HMACSHA256.HashData(SigningKey(credentials.SecretKey, amzDate[..8], region, service), Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    public static string CanonicalRequest(string method, Uri uri, IReadOnlyDictionary<string, string> headers, string signedHeaders, string payloadHash)
    {
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => (Key: p[0], Value: p.Length > 1 ? p[1] : ""))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}");
        var path = uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath;
        return $"{method}\n{path}\n{string.Join('&', query)}\n{string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n"))}\n{signedHeaders}\n{payloadHash}";
    }

    /// <summary>HMAC chain of the date, region, service and "aws4_request", keyed first by "AWS4" and the secret.</summary>
    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
