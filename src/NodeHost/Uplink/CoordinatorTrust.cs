using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NodeHealth.NodeHost.Uplink;

/// <summary>
/// The certificate authorities an agent trusts for its coordinator (<c>Agent:CoordinatorCaFile</c>, a PEM
/// bundle): the coordinator's certificate must chain to one of them and name the host the agent dialled.
/// The machine's own trust store is not consulted, so only the cluster's CA can vouch for a coordinator.
/// </summary>
public sealed class CoordinatorTrust
{
    private readonly X509Certificate2Collection _authorities;

    private CoordinatorTrust(string file, X509Certificate2Collection authorities)
    {
        File = file;
        _authorities = authorities;
    }

    public string File { get; }

    public int Count => _authorities.Count;

    /// <summary>Reads the bundle; throws <see cref="CoordinatorTrustException"/> naming the file and the problem.</summary>
    public static CoordinatorTrust Load(string file)
    {
        string pem;
        try
        {
            pem = System.IO.File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CoordinatorTrustException($"Agent:CoordinatorCaFile '{file}' cannot be read: {e.Message}");
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new CoordinatorTrustException($"Agent:CoordinatorCaFile '{file}' is not a valid PEM certificate bundle: {e.Message}");
        }

        if (authorities.Count == 0)
            throw new CoordinatorTrustException($"Agent:CoordinatorCaFile '{file}' holds no '-----BEGIN CERTIFICATE-----' block: name the CA bundle (ca.crt) that signed the coordinator's certificate");
        return new CoordinatorTrust(file, authorities);
    }

    /// <summary>Null when <paramref name="certificate"/> is trusted for the host dialled; otherwise why not.</summary>
    public string? Problem(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return "the coordinator presented no certificate";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"the coordinator's certificate ({certificate.Subject}) does not name the host the agent connected to: use a coordinator URL whose host is in its subject alternative names";

        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.ExtraStore.AddRange(_authorities);
        if (presented is not null)
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // Cluster CAs rarely publish revocation lists; rotation is the remedy.
        if (chain.Build(leaf))
            return null;
        var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"the coordinator's certificate ({leaf.Subject}, issued by {leaf.Issuer}) is not trusted by Agent:CoordinatorCaFile '{File}': {why}";
    }
}

public sealed class CoordinatorTrustException(string message) : Exception(message);
