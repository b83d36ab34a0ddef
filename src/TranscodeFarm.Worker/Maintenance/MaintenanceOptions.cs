namespace TranscodeFarm.Worker.Maintenance;

public sealed class MaintenanceOptions
{
    public const string Section = "Maintenance";

    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(30);
}
