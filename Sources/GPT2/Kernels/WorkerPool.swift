import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool of threads that runs one parallel loop at a time, for the int8 engine.
///
/// A token step makes a few dozen parallel matrix products, each tens of microseconds long, so
/// the pool never creates a thread or allocates per call: workers spin briefly on a generation
/// counter waiting for the next job, then park on a condition variable when the engine is idle.
/// The calling thread is worker 0 and works too.
public final class WorkerPool: @unchecked Sendable {
    // @unchecked: the shared state is only touched as `Shared` documents; `threads` is written
    // in init and read in deinit.
    public let threadCount: Int
    private let shared = Shared()
    private var threads: [pthread_t] = []

    /// A pool of `threadCount` workers (the caller included), at least 1.
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        for index in 1..<self.threadCount {
            let context = Unmanaged.passRetained(WorkerContext(shared: shared, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                let context = Unmanaged<WorkerContext>.fromOpaque(raw).takeRetainedValue()
                context.shared.workerLoop(index: context.index)
                return nil
            }, context)
            if status == 0 {
                threads.append(thread)
            } else {
                Unmanaged<WorkerContext>.fromOpaque(context).release()
            }
        }
    }

    deinit {
        shared.stop()
        for thread in threads { pthread_join(thread, nil) }
    }

    /// Workers that really started (thread creation can fail under resource limits).
    public var activeThreads: Int { threads.count + 1 }

    /// Runs `body(worker)` once on every worker, `worker` in 0..<activeThreads, and returns
    /// when all are done. Not reentrant: one loop at a time.
    public func run(_ body: (Int) -> Void) {
        guard !threads.isEmpty else { return body(0) }
        withoutActuallyEscaping(body) { body in shared.run(body, workers: threads.count) }
    }

    /// Splits `0..<count` into one contiguous chunk per worker, each a multiple of `granularity`
    /// (but the last), and runs `body(chunk)` for the non-empty ones.
    public func parallelFor(_ count: Int, granularity: Int = 1, _ body: (Range<Int>) -> Void) {
        let workers = activeThreads
        let units = (count + granularity - 1) / granularity
        if workers == 1 || units <= 1 { return body(0..<count) }
        run { worker in
            let begin = min(count, (units * worker / workers) * granularity)
            let end = min(count, (units * (worker + 1) / workers) * granularity)
            if begin < end { body(begin..<end) }
        }
    }

    /// What the caller and the workers share.
    private final class Shared: @unchecked Sendable {
        // @unchecked: `job` is written by the caller only while no worker can read it (before
        // `generation` is bumped, after every worker has decremented `busyWorkers`).
        let generation = Atomic<Int>(0)
        let busyWorkers = Atomic<Int>(0)
        let sleepers = Atomic<Int>(0)
        let stopping = Atomic<Bool>(false)
        var job: ((Int) -> Void)?
        let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
        let condition: UnsafeMutablePointer<pthread_cond_t> = .allocate(capacity: 1)
        /// Spins before a waiting worker parks: long enough to bridge the gaps between the
        /// matrix products of one token, short enough not to burn a core while the user types.
        static let spinIterations = 200_000

        init() {
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(condition, nil)
        }

        deinit {
            pthread_cond_destroy(condition)
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
            condition.deallocate()
        }

        func run(_ body: @escaping (Int) -> Void, workers: Int) {
            job = body
            busyWorkers.store(workers, ordering: .sequentiallyConsistent)
            wake()
            body(0)
            while busyWorkers.load(ordering: .acquiring) > 0 {}
            job = nil
        }

        func stop() {
            stopping.store(true, ordering: .sequentiallyConsistent)
            wake()
        }

        /// Publishes a new generation; parked workers are woken (a worker that is about to park
        /// re-checks the generation under the mutex after counting itself as a sleeper).
        private func wake() {
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
            }
        }

        func workerLoop(index: Int) {
            var seen = 0
            while true {
                var spins = 0
                var current = generation.load(ordering: .acquiring)
                while current == seen && spins < Self.spinIterations {
                    spins += 1
                    current = generation.load(ordering: .acquiring)
                }
                if current == seen {
                    pthread_mutex_lock(mutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while generation.load(ordering: .sequentiallyConsistent) == seen {
                        pthread_cond_wait(condition, mutex)
                    }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(mutex)
                    current = generation.load(ordering: .acquiring)
                }
                seen = current
                if stopping.load(ordering: .acquiring) { return }
                job?(index)
                busyWorkers.subtract(1, ordering: .releasing)
            }
        }
    }

    private final class WorkerContext {
        let shared: Shared
        let index: Int

        init(shared: Shared, index: Int) {
            self.shared = shared
            self.index = index
        }
    }
}
