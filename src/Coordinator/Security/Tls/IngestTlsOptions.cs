namespace NodeHealth.Coordinator.Security.Tls;

/// <summary>
/// Section Coordinator:IngestTls: the ingest port's certificate, both files PEM (a kubernetes.io/tls Secret's
/// tls.crt and tls.key). Both set: the gRPC port serves HTTP/2 over TLS; neither: plain HTTP/2 as all-in-one does.
/// </summary>
public sealed class IngestTlsOptions
{
    /// <summary>The certificate, optionally followed by its intermediates (sent to agents as the chain).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Its private key (PKCS#8, PKCS#1 or SEC1 PEM, unencrypted).</summary>
    public string? KeyFile { get; set; }

    public bool Enabled => CertificateFile is { Length: > 0 } || KeyFile is { Length: > 0 };

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
            return errors;
        if (CertificateFile is not { Length: > 0 } || KeyFile is not { Length: > 0 })
            errors.Add("Coordinator:IngestTls:CertificateFile and Coordinator:IngestTls:KeyFile go together: set both (e.g. /etc/node-health/tls/tls.crt and tls.key) or neither");
        foreach (var (setting, file) in new[] { ("CertificateFile", CertificateFile), ("KeyFile", KeyFile) })
            if (file is { Length: > 0 } && !File.Exists(file))
                errors.Add($"Coordinator:IngestTls:{setting} '{file}' does not exist");
        return errors;
    }
}
