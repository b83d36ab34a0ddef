using TranscodeFarm.Core.Caching;

namespace TranscodeFarm.Core.Tests.Caching;

public class BoundedLabelsTests
{
    private static void Observe(BoundedLabels labels, string key, int times)
    {
        for (var i = 0; i < times; i++)
        {
            labels.Observe(key);
        }
    }

    [Fact]
    public void Popular_keys_keep_their_label_and_the_rest_share_other()
    {
        var labels = new BoundedLabels(2);
        Observe(labels, "a", 50);
        Observe(labels, "b", 30);
        Observe(labels, "c", 5);
        Assert.Equal(BoundedLabels.Other, labels.Label("a")); // nothing is labelled before the first refresh

        Assert.Empty(labels.Refresh());
        Assert.Equal("a", labels.Label("a"));
        Assert.Equal("b", labels.Label("b"));
        Assert.Equal(BoundedLabels.Other, labels.Label("c"));
        Assert.Equal(BoundedLabels.Other, labels.Label("never-seen"));
    }

    [Fact]
    public void A_key_no_longer_requested_leaves_after_a_few_refreshes_and_is_reported_once()
    {
        var labels = new BoundedLabels(2);
        Observe(labels, "old-hit", 1_000);
        Observe(labels, "steady", 200);
        labels.Refresh();
        Assert.Equal("old-hit", labels.Label("old-hit"));

        var refreshes = 0;
        IReadOnlyList<string> left;
        do
        {
            Observe(labels, "steady", 200);
            Observe(labels, "new-hit", 150);
            left = labels.Refresh();
            refreshes++;
        }
        while (left.Count == 0 && refreshes < 20);

        Assert.Equal(["old-hit"], left);
        Assert.Equal(3, refreshes); // 1000 halves to 125, below the newcomer's 262 (150 + 225 / 2), in three periods
        Assert.Equal(BoundedLabels.Other, labels.Label("old-hit"));
        Assert.Equal("new-hit", labels.Label("new-hit"));
        Assert.Equal("steady", labels.Label("steady"));
        Observe(labels, "steady", 200);
        Observe(labels, "new-hit", 150);
        Assert.Empty(labels.Refresh());
    }

    [Fact]
    public void Never_more_than_k_labels_plus_other()
    {
        var labels = new BoundedLabels(5);
        var zipf = new ZipfKeys(2_000, 0.8, seed: 3);
        var seen = new HashSet<string>();
        for (var round = 0; round < 30; round++)
        {
            for (var i = 0; i < 2_000; i++)
            {
                var key = ZipfKeys.Name(zipf.NextRank());
                labels.Observe(key);
                seen.Add(key);
            }

            var before = labels.Current.ToHashSet();
            var left = labels.Refresh();
            Assert.Equal(before.Except(labels.Current).Order(StringComparer.Ordinal), left); // exactly the keys that lost their label
            var distinct = seen.Select(labels.Label).ToHashSet();
            Assert.InRange(labels.Current.Count, 1, 5);
            Assert.True(distinct.Count <= 6, $"{distinct.Count} label values");
        }

        Assert.Equal(ZipfKeys.Name(1), labels.Label(ZipfKeys.Name(1)));
    }

    [Fact]
    public void A_key_named_other_never_gets_a_label_of_its_own()
    {
        var labels = new BoundedLabels(2);
        Observe(labels, BoundedLabels.Other, 100);
        Observe(labels, "a", 10);
        Observe(labels, "b", 5);
        labels.Refresh();
        Assert.Equal(new HashSet<string> { "a", "b" }, labels.Current.ToHashSet());
        Observe(labels, "c", 500);
        Observe(labels, "d", 500);
        Assert.DoesNotContain(BoundedLabels.Other, labels.Refresh());
    }

    [Fact]
    public async Task Observe_label_and_refresh_can_run_at_once()
    {
        var labels = new BoundedLabels(3);
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 3).Select(t => Task.Run(() =>
        {
            var zipf = new ZipfKeys(500, 1.2, seed: t);
            var labelled = new HashSet<string>();
            for (var i = 0; i < 100_000; i++)
            {
                var key = ZipfKeys.Name(zipf.NextRank());
                labels.Observe(key);
                labelled.Add(labels.Label(key));
            }

            return labelled;
        })).ToList();
        var refreshes = 0;
        while (!workers.All(w => w.IsCompleted))
        {
            labels.Refresh();
            refreshes++;
            await Task.Delay(1);
        }

        labels.Refresh();
        Assert.True(refreshes > 0);
        Assert.Contains(ZipfKeys.Name(1), labels.Current);
        Assert.Contains(BoundedLabels.Other, (await Task.WhenAll(workers)).SelectMany(l => l));
    }
}
