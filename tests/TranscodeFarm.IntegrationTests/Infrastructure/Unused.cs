using System.Reflection;

namespace TranscodeFarm.IntegrationTests.Infrastructure;

/// <summary>A stand-in for a dependency a test's path never calls: any call fails the test with the member's name.</summary>
public class Unused : DispatchProxy
{
    public static T Of<T>() where T : class => Create<T, Unused>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        throw new NotSupportedException($"{targetMethod?.DeclaringType?.Name}.{targetMethod?.Name} is not used by this test");
}
