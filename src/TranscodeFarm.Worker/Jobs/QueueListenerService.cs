using Microsoft.Extensions.Hosting;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker.Jobs;

/// <summary>Wakes idle job slots on the queue's notifications (PostgreSQL LISTEN/NOTIFY) instead of busy polling.</summary>
public sealed class QueueListenerService(IJobNotifications notifications, JobSignal signal) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        notifications.ListenAsync(signal.Notify, stoppingToken);
}
