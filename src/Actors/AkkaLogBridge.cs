using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Dispatch;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace NodeHealth.Actors;

/// <summary>
/// Akka's logger for hosts with Microsoft.Extensions.Logging: each event goes to the logger named after
/// its log class ("Akka" for string sources), as its message alone. Akka.Hosting's own LoggerFactoryLogger passes Akka's
/// "[INFO][time][thread][source]" text, so every console line carried two prefixes.
/// </summary>
public sealed class AkkaLogBridge : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory = DependencyResolver.For(Context.System).Resolver.GetService<ILoggerFactory>();
    private readonly Dictionary<Type, ILogger> _loggers = [];

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent log:
                Write(log);
                return true;
            default:
                return false;
        }
    }

    private void Write(LogEvent log)
    {
        if (!_loggers.TryGetValue(log.LogClass, out var logger))
            _loggers[log.LogClass] = logger = _factory.CreateLogger(CategoryOf(log.LogClass));
        var level = LevelOf(log.LogLevel());
        if (logger.IsEnabled(level))
            logger.Log(level, default, log.Message?.ToString() ?? "", log.Cause, static (text, _) => text);
    }

    // Loggers named by a string (remoting, cluster) all share Akka's placeholder class: call them "Akka".
    private static string CategoryOf(Type logClass) =>
        logClass == typeof(DummyClassForStringSources) ? "Akka" : logClass.FullName ?? logClass.Name;

    private static LogLevel LevelOf(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
        Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}

public static class AkkaLogBridgeWiring
{
    /// <summary>Sends Akka's log events to the host's ILoggerFactory, message only; use instead of AddLoggerFactory.</summary>
    public static LoggerConfigBuilder AddAkkaLogBridge(this LoggerConfigBuilder loggers)
    {
        loggers.ClearLoggers();
        return loggers.AddLogger<AkkaLogBridge>();
    }
}
