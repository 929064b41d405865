using Akka.Actor;

namespace NodeHealth.Actors.Reload;

/// <summary>
/// Polls operator files (every 2 s by default; by content, see <see cref="FileFingerprint"/>) and, when what they hold
/// changed, loads them into their <see cref="Reloadable{T}"/>. An edit that does not load leaves the last good value in
/// force; the subclass says what a load, an acceptance and a refusal mean for its files.
/// </summary>
public abstract class FileReloadWatcher<T> : ReceiveActor, IWithTimers where T : class
{
    public static readonly TimeSpan DefaultPollEvery = TimeSpan.FromSeconds(2);

    protected FileReloadWatcher(Reloadable<T> holder, IReadOnlyList<string> files, TimeSpan pollEvery)
    {
        Holder = holder;
        Files = files;
        Receive<Poll>(_ =>
        {
            var fingerprint = FileFingerprint.Read(files);
            if (fingerprint == holder.Fingerprint)
                return;
            T loaded;
            try
            {
                loaded = Load();
            }
            catch (Exception e) when (IsRefusal(e))
            {
                holder.Reject(e.Message, fingerprint);
                Refused(e.Message);
                return;
            }

            var fixesRefusal = holder.Problem is not null;
            holder.Accept(loaded, fingerprint);
            Accepted(loaded, fixesRefusal);
        });
        Timers.StartPeriodicTimer(Poll.Instance, Poll.Instance, pollEvery);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected Reloadable<T> Holder { get; }

    protected IReadOnlyList<string> Files { get; }

    /// <summary>Loads the files; throws an exception <see cref="IsRefusal"/> accepts when they do not load.</summary>
    protected abstract T Load();

    protected abstract bool IsRefusal(Exception e);

    /// <summary>The files loaded and are in force now; <paramref name="fixesRefusal"/>: an earlier edit had been refused.</summary>
    protected abstract void Accepted(T loaded, bool fixesRefusal);

    /// <summary>The files did not load: <paramref name="problem"/> names file, line and problem.</summary>
    protected abstract void Refused(string problem);

    /// <summary>Look at the files now (the timer sends it; tests too).</summary>
    public sealed record Poll
    {
        public static readonly Poll Instance = new();
    }
}
