using System.Security.Cryptography;

namespace TranscodeFarm.Queue;

public static class JobIds
{
    /// <summary>12 lowercase hex characters: short enough to type, random enough not to collide in practice.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
