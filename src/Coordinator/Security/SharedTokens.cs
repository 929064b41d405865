using System.Security.Cryptography;
using System.Text;

namespace NodeHealth.Coordinator.Security;

/// <summary>
/// A shared secret presented as "authorization: Bearer &lt;token&gt;": the configured value, else the one
/// kept in a file in the data directory, else a new random one written there (see <see cref="SecretFile"/>).
/// Compared in constant time.
/// </summary>
public abstract class SharedToken
{
    private readonly byte[] _expected;

    protected SharedToken(string value)
    {
        Value = value;
        _expected = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    /// <summary>Which token this is, for error messages ("ingest token").</summary>
    protected abstract string Name { get; }

    /// <summary>Null when <paramref name="authorization"/> carries this token; otherwise what is wrong with it.</summary>
    public string? Check(string? authorization)
    {
        if (BearerToken.From(authorization) is not { } presented)
            return $"missing bearer token: send 'authorization: Bearer <{Name}>'";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _expected) ? null : $"the {Name} is not valid";
    }

    protected static string Resolve(string? configured, string directory, string fileName)
    {
        if (configured is { Length: > 0 })
            return configured;

        var path = Path.Combine(directory, fileName);
        return SecretFile.Read(path)
            ?? SecretFile.WriteOnce(path, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant());
    }
}

/// <summary>What agents present on the ingest stream with Coordinator:AgentAuthentication=SharedToken (see SharedTokenAuthenticator).</summary>
public sealed class IngestToken(string value) : SharedToken(value)
{
    public const string FileName = "ingest-token";

    protected override string Name => "ingest token";

    public static IngestToken Resolve(CoordinatorOptions options) => new(Resolve(options.IngestToken, options.DataDirectory, FileName));
}

/// <summary>What operators present to change state through the REST API (clearing a fault). Agents never hold it.</summary>
public sealed class OperatorToken(string value) : SharedToken(value)
{
    public const string FileName = "operator-token";

    protected override string Name => "operator token";

    public static OperatorToken Resolve(CoordinatorOptions options) => new(Resolve(options.OperatorToken, options.DataDirectory, FileName));
}
