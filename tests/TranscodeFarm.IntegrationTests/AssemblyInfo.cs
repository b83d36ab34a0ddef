// The machine has two cores and every test runs ffmpeg: one test at a time keeps timings and timeouts sane.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
