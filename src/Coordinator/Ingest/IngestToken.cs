using System.Security.Cryptography;
using System.Text;
using Grpc.Core;

namespace NodeHealth.Coordinator.Ingest;

/// <summary>
/// The shared ingest token (local mode; Kubernetes TokenReview comes later). Compared in constant time.
/// </summary>
public sealed class IngestToken(string token)
{
    public const string FileName = "ingest-token";
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token);

    public string Value => token;

    /// <summary>The configured token, else the one in DataDirectory/ingest-token, else a new random one written there.</summary>
    public static IngestToken Resolve(CoordinatorOptions options)
    {
        if (options.IngestToken is { Length: > 0 } configured)
            return new IngestToken(configured);

        var path = Path.Combine(options.DataDirectory, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } saved)
            return new IngestToken(saved);

        var generated = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        File.WriteAllText(path, generated);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new IngestToken(generated);
    }

    /// <summary>Throws Unauthenticated unless the call carries "authorization: Bearer &lt;token&gt;".</summary>
    public void Authenticate(ServerCallContext call)
    {
        var header = call.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
            throw new RpcException(new Status(StatusCode.Unauthenticated, "missing bearer token: send 'authorization: Bearer <ingest token>'"));
        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(presented, _expected))
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the ingest token is not valid"));
    }
}
