using System.Security.Cryptography;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.IntegrationTests;

public sealed class HashingReadStreamTests
{
    [Fact]
    public async Task Hashes_what_was_read_and_starts_again_when_rewound()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await using var stream = new HashingReadStream(new MemoryStream(bytes));
        var half = new byte[100_000];
        await stream.ReadExactlyAsync(half);
        stream.Position = 0; // a retried upload
        await stream.CopyToAsync(Stream.Null);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stream.Hash());
    }

    [Fact]
    public void A_seek_elsewhere_makes_the_hash_refuse()
    {
        using var stream = new HashingReadStream(new MemoryStream(new byte[1000]));
        stream.Position = 10;
        stream.CopyTo(Stream.Null);
        Assert.Throws<InvalidOperationException>(() => stream.Hash());
    }
}
