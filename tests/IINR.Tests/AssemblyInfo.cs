// libtorch already uses every core; tests running side by side would only slow each other.
[assembly: DoNotParallelize]
