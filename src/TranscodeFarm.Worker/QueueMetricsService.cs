using Microsoft.Extensions.Hosting;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;

namespace TranscodeFarm.Worker;

/// <summary>Refreshes the queue-depth gauges every few seconds.</summary>
public sealed class QueueMetricsService(IJobQueue queue, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        do
        {
            try
            {
                foreach (var (state, count) in await queue.CountByStateAsync(stoppingToken))
                {
                    WorkerMetrics.QueueJobs.WithLabels(state.ToWire()).Set(count);
                }

                var byPriority = await queue.QueuedByPriorityAsync(stoppingToken);
                foreach (var labels in WorkerMetrics.QueueDepthByPriority.GetAllLabelValues())
                {
                    if (!byPriority.ContainsKey(int.Parse(labels[0], System.Globalization.CultureInfo.InvariantCulture)))
                    {
                        WorkerMetrics.QueueDepthByPriority.WithLabels(labels).Set(0); // drained priorities show 0, not their last value
                    }
                }

                foreach (var (priority, count) in byPriority)
                {
                    WorkerMetrics.QueueDepthByPriority.WithLabels(priority.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // a busy database: next tick
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
