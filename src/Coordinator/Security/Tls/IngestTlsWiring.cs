using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace NodeHealth.Coordinator.Security.Tls;

public static class IngestTlsWiring
{
    /// <summary>
    /// Loads the ingest certificate when Coordinator:IngestTls names one (see <see cref="IngestTlsOptions"/>) and says
    /// once at startup whether ingest is TLS. Answers configuration errors, each naming the setting and the file.
    /// </summary>
    public static IReadOnlyList<string> AddIngestTls(this WebApplicationBuilder builder, CoordinatorOptions options, bool inProcessAgentUsesHttp)
    {
        var tls = options.IngestTls;
        IngestCertificate? certificate = null;
        if (tls.Enabled)
        {
            if (inProcessAgentUsesHttp)
                return ["Coordinator:IngestTls makes the ingest port TLS, but the in-process agent would connect with plain http: run with --no-agent, " +
                        "or set Agent:CoordinatorUrl to https://<a name in the certificate>:<GrpcPort> and Agent:CoordinatorCaFile to its CA"];
            try
            {
                certificate = IngestCertificate.Load(tls.CertificateFile!, tls.KeyFile!, TimeProvider.System);
            }
            catch (IngestTlsException e)
            {
                return [e.Message];
            }
        }

        builder.Services.AddSingleton(new IngestEndpoint(certificate));
        builder.Services.AddHostedService<IngestTlsStartupNote>();
        return [];
    }

    /// <summary>The gRPC port's protocols: HTTP/2 over TLS with the ingest certificate, else HTTP/2 with prior knowledge.</summary>
    public static void UseIngestProtocols(this ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http2;
        if (listen.ApplicationServices.GetService<IngestEndpoint>()?.Certificate is not { } certificate)
            return;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate.Current(),
                ApplicationProtocols = [SslApplicationProtocol.Http2],
            }),
        });
    }
}

/// <summary>The ingest port's TLS certificate; null: plain HTTP/2.</summary>
public sealed record IngestEndpoint(IngestCertificate? Certificate);

/// <summary>Says once at startup whether agents reach ingest over TLS, and hands the certificate its logger for renewals.</summary>
internal sealed class IngestTlsStartupNote(IngestEndpoint endpoint, CoordinatorOptions options, ILogger<IngestCertificate> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (endpoint.Certificate is { } certificate)
        {
            certificate.Log = log;
            log.LogInformation("Ingest TLS: port {Port} serves HTTP/2 over TLS with {Subject} (expires {Expires:u}) from {File}, re-read when it changes",
                options.GrpcPort, certificate.Certificate.Subject, certificate.Certificate.NotAfter.ToUniversalTime(), options.IngestTls.CertificateFile);
        }
        else
        {
            log.LogInformation("Ingest TLS: off, port {Port} serves plain HTTP/2 (set Coordinator:IngestTls:CertificateFile and KeyFile to turn it on)", options.GrpcPort);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
