using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// A TCP relay on loopback in front of a server (PostgreSQL), which a test can make unreachable: while cut,
/// nothing is relayed either way and new connections are accepted but never answered, as through a network
/// that drops packets (clients see timeouts, not a quick refusal). When healed, the connections that lived
/// through the cut are reset, as the server would have dropped them by then, and new ones are relayed again.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, bool> _clients = new();
    private readonly Task _accepting;
    private volatile TaskCompletionSource _healed = Healed();

    public TcpProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public bool IsCut => !_healed.Task.IsCompleted;

    public void Cut() => _healed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Heal()
    {
        if (!IsCut)
            return;
        foreach (var client in _clients.Keys)
            Reset(client);
        _healed.TrySetResult();
    }

    private static TaskCompletionSource Healed()
    {
        var healed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        healed.SetResult();
        return healed;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _clients[client] = true;
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await _healed.Task.WaitAsync(_stop.Token); // Accepted during a cut: held, never answered.
            if (!client.Connected)
                return;
            await upstream.ConnectAsync(_upstream, _stop.Token);
            await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _clients.TryRemove(client, out _);
            Reset(client);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                    return;
                var healed = _healed.Task;
                if (!healed.IsCompleted)
                {
                    await healed.WaitAsync(_stop.Token);
                    return; // Lived through a cut: Heal reset it.
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // RST, not FIN: the peer learns at once.
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients.Keys)
            Reset(client);
        await _accepting;
        _stop.Dispose();
    }
}
