namespace TranscodeFarm.Core.Planning;

/// <summary>A plan, or the reason a producer can act on when there is none.</summary>
public sealed record PlanResult(EncodePlan? Plan, string? Error)
{
    public static PlanResult Ok(EncodePlan plan) => new(plan, null);
    public static PlanResult Fail(string error) => new(null, error);
}
