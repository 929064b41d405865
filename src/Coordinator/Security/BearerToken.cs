using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NodeHealth.Coordinator.Security;

/// <summary>The token an agent sends as "authorization: Bearer &lt;token&gt;", and what can be read from it without trusting it.</summary>
public static class BearerToken
{
    /// <summary>Projected ServiceAccount tokens are about 1 KiB; anything far larger is refused before it reaches the API server.</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>The token, or null when the header is missing or not a bearer token.</summary>
    public static string? From(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) &&
        authorization["Bearer ".Length..].Trim() is { Length: > 0 } token
            ? token
            : null;

    /// <summary>The cache key: a SHA-256 of the token, so the cache never holds a usable credential.</summary>
    public static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// The JWT's "exp" claim, or null when the token is not a JWT or has none. Read only after a TokenReview
    /// vouched for the token: the signature is the API server's to check, not ours.
    /// </summary>
    public static DateTimeOffset? ExpiresAt(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length is 0 or > MaxLength)
            return null;
        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var claims = JsonDocument.Parse(payload);
            return claims.RootElement.ValueKind == JsonValueKind.Object &&
                   claims.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds) &&
                   seconds is > 0 and < 253402300800 // Before year 10000, where DateTimeOffset ends.
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
