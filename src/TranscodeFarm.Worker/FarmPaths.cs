namespace TranscodeFarm.Worker;

/// <summary>Where everything lives under the data directory in embedded mode.</summary>
public sealed class FarmPaths(string dataDirectory)
{
    public string Root { get; } = Path.GetFullPath(dataDirectory);
    public string QueueDatabase => Path.Combine(Root, "queue.db");
    public string Store => Path.Combine(Root, "store");
    public string Work => Path.Combine(Root, "work");
    public string Sources => Path.Combine(Root, "sources");
    public string DefaultDropFolder => Path.Combine(Root, "drop");

    public string WorkFor(string jobId) => Path.Combine(Work, jobId);
}
