using System.Net;
using System.Net.Sockets;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder a test can partition: while partitioned, connections stay open and new ones are accepted, but
/// no byte moves either way (what a network partition looks like to a client: silence, not a refusal). Healing lets the
/// held bytes through.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private volatile TaskCompletionSource _open = Opened();

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Partition() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Heal() => _open.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Heal();
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                    _clients.Add(upstream);
                }

                _ = PumpAsync(client.GetStream(), upstream.GetStream());
                _ = PumpAsync(upstream.GetStream(), client.GetStream());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // stopped
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await _open.Task.WaitAsync(_stop.Token); // partitioned: hold, read nothing more
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    to.Socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                await _open.Task.WaitAsync(_stop.Token); // partitioned mid-flight: the bytes wait with us
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // a side closed, or the proxy stopped
        }
    }
}
