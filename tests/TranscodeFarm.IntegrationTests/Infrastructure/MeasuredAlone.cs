namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>Tests that measure a process (memory, timing) run after the parallel ones, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "measured alone";
}
