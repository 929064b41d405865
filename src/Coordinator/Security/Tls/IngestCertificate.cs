using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NodeHealth.Coordinator.Security.Tls;

/// <summary>
/// The ingest port's certificate and chain, read from PEM files and read again when they change (cert-manager
/// renews the Secret and the kubelet swaps the mounted files): a handshake looks at the files at most every
/// <see cref="CheckEvery"/>, so a renewed certificate is served without a restart. Files that do not load keep
/// the previous certificate in service and are reported once per change.
/// </summary>
public sealed class IngestCertificate
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private Loaded _loaded;
    private long _checkedAt;
    private string? _reportedProblem;

    private IngestCertificate(string certificateFile, string keyFile, TimeProvider clock, Loaded loaded)
    {
        _certificateFile = certificateFile;
        _keyFile = keyFile;
        _clock = clock;
        _loaded = loaded;
        _checkedAt = clock.GetTimestamp();
    }

    /// <summary>Where reload problems and renewals are reported (set once the host's logging exists).</summary>
    public ILogger? Log { get; set; }

    public X509Certificate2 Certificate => _loaded.Leaf;

    /// <summary>Throws <see cref="IngestTlsException"/> naming the files and the problem.</summary>
    public static IngestCertificate Load(string certificateFile, string keyFile, TimeProvider clock) =>
        new(certificateFile, keyFile, clock, Read(certificateFile, keyFile));

    /// <summary>The certificate context for a handshake starting now.</summary>
    public SslStreamCertificateContext Current()
    {
        var now = _clock.GetTimestamp();
        if (_clock.GetElapsedTime(Interlocked.Read(ref _checkedAt), now) < CheckEvery)
            return _loaded.Context;
        lock (_gate)
        {
            if (_clock.GetElapsedTime(_checkedAt, now) >= CheckEvery)
            {
                Reload();
                Interlocked.Exchange(ref _checkedAt, now);
            }

            return _loaded.Context;
        }
    }

    private void Reload()
    {
        Loaded fresh;
        try
        {
            var (certificatePem, keyPem) = ReadPem(_certificateFile, _keyFile);
            if (Fingerprint(certificatePem, keyPem) == _loaded.Fingerprint)
                return;
            fresh = Parse(certificatePem, keyPem, _certificateFile, _keyFile);
        }
        catch (IngestTlsException e)
        {
            if (e.Message != _reportedProblem)
                Log?.LogWarning("Ingest TLS: keeping the certificate {Subject} (expires {Expires:u}): {Problem}", _loaded.Leaf.Subject, _loaded.Leaf.NotAfter.ToUniversalTime(), e.Message);
            _reportedProblem = e.Message;
            return;
        }

        _reportedProblem = null;
        Log?.LogInformation("Ingest TLS: serving the renewed certificate {Subject} (expires {Expires:u})", fresh.Leaf.Subject, fresh.Leaf.NotAfter.ToUniversalTime());
        _loaded = fresh;
    }

    private static Loaded Read(string certificateFile, string keyFile)
    {
        var (certificatePem, keyPem) = ReadPem(certificateFile, keyFile);
        return Parse(certificatePem, keyPem, certificateFile, keyFile);
    }

    private static (string Certificate, string Key) ReadPem(string certificateFile, string keyFile)
    {
        try
        {
            return (File.ReadAllText(certificateFile), File.ReadAllText(keyFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IngestTlsException($"Coordinator:IngestTls: cannot read '{certificateFile}' and '{keyFile}': {e.Message}");
        }
    }

    private static Loaded Parse(string certificatePem, string keyPem, string certificateFile, string keyFile)
    {
        X509Certificate2 leaf;
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificatePem);
            leaf = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new IngestTlsException($"Coordinator:IngestTls:CertificateFile '{certificateFile}' and KeyFile '{keyFile}' are not a PEM certificate and its private key: {e.Message}");
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in chain.Skip(1))
            intermediates.Add(certificate);
        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        return new Loaded(leaf, context, Fingerprint(certificatePem, keyPem));
    }

    private static string Fingerprint(string certificatePem, string keyPem) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(certificatePem + "\0" + keyPem)));

    private sealed record Loaded(X509Certificate2 Leaf, SslStreamCertificateContext Context, string Fingerprint);
}

public sealed class IngestTlsException(string message) : Exception(message);
