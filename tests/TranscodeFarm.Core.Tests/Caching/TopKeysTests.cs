using TranscodeFarm.Core.Caching;

namespace TranscodeFarm.Core.Tests.Caching;

public class TopKeysTests
{
    [Fact]
    public void Zipf_stream_gives_the_true_top_keys_with_bounded_estimates()
    {
        var sketch = new TopKeys(80);
        var zipf = new ZipfKeys(10_000, 1.1, seed: 7);
        var exact = new Dictionary<string, long>();
        for (var i = 0; i < 200_000; i++)
        {
            var key = ZipfKeys.Name(zipf.NextRank());
            sketch.Observe(key);
            exact[key] = exact.GetValueOrDefault(key) + 1;
        }

        var top = sketch.Snapshot(10);
        var trueTop = exact.OrderByDescending(e => e.Value).Take(10).Select(e => e.Key).ToHashSet();
        Assert.Equal(trueTop, top.Select(e => e.Key).ToHashSet());
        Assert.All(top, e => Assert.InRange(exact[e.Key], e.GuaranteedWeight, e.Weight));
        Assert.Equal(80, sketch.Count);
    }

    [Fact]
    public void Counters_stay_bounded_and_a_heavy_key_keeps_its_counter()
    {
        var sketch = new TopKeys(16);
        for (var i = 0; i < 5_000; i++)
        {
            sketch.Observe($"once-{i}");
            if (i % 10 == 0)
            {
                sketch.Observe("heavy"); // 500 of 5,500: more than total/capacity, so guaranteed a counter
            }
        }

        Assert.Equal(16, sketch.Count);
        var first = sketch.Snapshot(1).Single();
        Assert.Equal("heavy", first.Key);
        Assert.InRange(500, first.GuaranteedWeight, first.Weight);
        Assert.Equal(5_500, sketch.Snapshot(int.MaxValue).Sum(e => e.Weight)); // Space-Saving: counters sum to the total
    }

    [Fact]
    public void Weights_count_and_snapshot_orders_heaviest_first()
    {
        var sketch = new TopKeys(4);
        sketch.Observe("a", 10);
        sketch.Observe("b", 30);
        sketch.Observe("c");
        sketch.Observe("a", 25);
        sketch.Observe("d", 0);
        Assert.Equal([new KeyEstimate("a", 35, 0), new KeyEstimate("b", 30, 0)], sketch.Snapshot(2));
        Assert.Equal(3, sketch.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Observe("a", -1));
    }

    [Fact]
    public void A_new_key_takes_over_the_lightest_counter_and_inherits_its_weight_as_error()
    {
        var sketch = new TopKeys(2);
        sketch.Observe("a", 5);
        sketch.Observe("b", 2);
        sketch.Observe("c", 1);
        Assert.Equal([new KeyEstimate("a", 5, 0), new KeyEstimate("c", 3, 2)], sketch.Snapshot(5));
    }

    [Fact]
    public void Decay_halves_weights_and_frees_counters_that_reach_zero()
    {
        var sketch = new TopKeys(8);
        sketch.Observe("a", 9);
        sketch.Observe("b", 4);
        sketch.Observe("c", 1);
        sketch.Decay();
        Assert.Equal([new KeyEstimate("a", 4, 0), new KeyEstimate("b", 2, 0)], sketch.Snapshot(8));
        Assert.Equal(2, sketch.Count);

        // The heap is still a heap: the lightest counter is the one taken over.
        var full = new TopKeys(3);
        full.Observe("x", 1);
        full.Observe("y", 40);
        full.Observe("z", 20);
        full.Decay();
        full.Observe("w", 3);
        full.Observe("v", 1);
        Assert.Equal(["y", "z", "v"], full.Snapshot(3).Select(e => e.Key));
        Assert.Equal(new KeyEstimate("v", 4, 3), full.Snapshot(3)[2]);
    }

    [Fact]
    public void Concurrent_observers_lose_no_weight()
    {
        var sketch = new TopKeys(64);
        const int Threads = 4, PerThread = 200_000;

        // Keys drawn before the start, and all threads released at once, so the threads really overlap in Observe.
        var streams = Enumerable.Range(0, Threads).Select(t =>
        {
            var zipf = new ZipfKeys(5_000, 1.0, seed: t);
            return Enumerable.Range(0, PerThread).Select(_ => ZipfKeys.Name(zipf.NextRank())).ToArray();
        }).ToArray();
        using var start = new Barrier(Threads);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = streams.Select(keys => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                foreach (var key in keys)
                {
                    sketch.Observe(key);
                }
            }
            catch (Exception ex)
            {
                failures.Enqueue(ex); // a torn heap or Dictionary: fail the test rather than crash the test host
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(failures);

        var all = sketch.Snapshot(int.MaxValue);
        Assert.Equal(Threads * PerThread, all.Sum(e => e.Weight));
        Assert.Equal(64, all.Select(e => e.Key).Distinct().Count());
        Assert.Equal(ZipfKeys.Name(1), all[0].Key);
    }
}
