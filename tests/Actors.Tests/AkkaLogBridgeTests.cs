using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NodeHealth.Actors.Tests;

/// <summary>Akka's log events reach Microsoft.Extensions.Logging as the bare message: the console formatter adds the one prefix.</summary>
public sealed class AkkaLogBridgeTests : IAsyncLifetime
{
    private readonly CapturingProvider _captured = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(_captured);
        builder.Services.AddAkka("logging", (akka, _) => akka.ConfigureLoggers(loggers => loggers.AddAkkaLogBridge()));
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Akka_warning_arrives_as_its_message_alone_at_warning_level_under_its_log_class()
    {
        var system = _host.Services.GetRequiredService<ActorSystem>();

        Akka.Event.Logging.GetLogger(system, typeof(AkkaLogBridgeTests)).Warning("Coordinator stream unavailable ({0}); retrying", "connection refused");

        var line = await _captured.FirstAsync(l => l.Message.Contains("Coordinator stream unavailable"));
        Assert.Equal("Coordinator stream unavailable (connection refused); retrying", line.Message);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal(typeof(AkkaLogBridgeTests).FullName, line.Category);
    }

    [Fact]
    public async Task Akka_error_keeps_its_exception_and_string_sources_log_as_Akka()
    {
        var system = _host.Services.GetRequiredService<ActorSystem>();
        var cause = new InvalidOperationException("journal unreachable");

        Akka.Event.Logging.GetLogger(system, "test").Error(cause, "Persisting failed");

        var line = await _captured.FirstAsync(l => l.Message == "Persisting failed");
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Same(cause, line.Exception);
        Assert.Equal("Akka", line.Category);
    }

    private sealed record Line(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class CapturingProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<Line> _lines = new();

        public async Task<Line> FirstAsync(Func<Line, bool> match)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                    return line;
                await Task.Delay(20);
            }

            throw new TimeoutException("No such log line; captured:\n" + string.Join('\n', _lines.Select(l => $"{l.Level} {l.Category}: {l.Message}")));
        }

        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<Line> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(new Line(category, logLevel, formatter(state, exception), exception));
        }
    }
}
