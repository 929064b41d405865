using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace NodeHealth.Coordinator.Tests.Api;

/// <summary>
/// The coordinator's own Program in this process (SQLite in a temporary directory, no in-process agent), shared by the
/// API tests of its collection: its endpoints, its DI and an HTTP client to it. Settings go through the environment,
/// which the Program reads before its host is built.
/// </summary>
public sealed class InProcessCoordinator : IAsyncLifetime
{
    public const string OperatorToken = "test-operator-token";
    private static readonly string[] Settings = ["DataDirectory", "InProcessAgent", "IngestToken", "OperatorToken"];
    private readonly string _data = Directory.CreateTempSubdirectory("nh-api").FullName;
    private Factory? _factory;

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("Coordinator__DataDirectory", _data);
        Environment.SetEnvironmentVariable("Coordinator__InProcessAgent", "false");
        Environment.SetEnvironmentVariable("Coordinator__IngestToken", "test-ingest-token");
        Environment.SetEnvironmentVariable("Coordinator__OperatorToken", OperatorToken);
        _factory = new Factory();
        Http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_factory is not null)
            await _factory.DisposeAsync();
        foreach (var name in Settings)
            Environment.SetEnvironmentVariable($"Coordinator__{name}", null);
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>The coordinator sets its content root to its own directory (where appsettings.json is): the factory must agree.</summary>
    private sealed class Factory : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class InProcessCoordinatorCollection : ICollectionFixture<InProcessCoordinator>
{
    public const string Name = "coordinator in process";
}
