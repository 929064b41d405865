using Akka.Actor;

namespace NodeHealth.Actors.Agent.Logs;

/// <summary>The blocking read loop that feeds the monitor, and the monitor's messages to itself.</summary>
public sealed partial class LogMonitor
{
    private void StartReadLoop(ILogReader reader)
    {
        var self = Self;
        var stopping = _stopping.Token;
        var wait = _settings.ReadWait;
        var readsAhead = _readsAhead;
        Task.Factory.StartNew(() =>
        {
            try
            {
                while (!stopping.IsCancellationRequested)
                {
                    var read = reader.Read(wait, stopping);
                    if (read.Records.Count == 0 && read.Lost == 0 && read.Malformed == 0 && read.Cursor is null)
                        continue;
                    readsAhead.Wait(stopping); // Back-pressure: neither a replayed file nor an unwritable spool may flood the mailbox.
                    self.Tell(read);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                self.Tell(new ReaderFailed(e));
            }
            finally
            {
                reader.Dispose();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private sealed record OpenLog
    {
        public static readonly OpenLog Instance = new();
    }

    private sealed record Checkpoint
    {
        public static readonly Checkpoint Instance = new();
    }

    private sealed record AskCursor
    {
        public static readonly AskCursor Instance = new();
    }

    private sealed record ResendFindings
    {
        public static readonly ResendFindings Instance = new();
    }

    private sealed record FlushDetections
    {
        public static readonly FlushDetections Instance = new();
    }

    private sealed record ReaderFailed(Exception Cause);
}
