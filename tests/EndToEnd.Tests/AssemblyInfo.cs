// The tests share the real /dev/kmsg: one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
