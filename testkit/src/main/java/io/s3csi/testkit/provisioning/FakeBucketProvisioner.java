package io.s3csi.testkit.provisioning;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.provisioning.BucketCreation;
import io.s3csi.core.provisioning.BucketProvisioner;
import io.s3csi.core.provisioning.Connection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A stateful, in-memory {@link BucketProvisioner} for tests of code that uses one: buckets holding
 * objects with user metadata, buckets owned by "another account", Object Lock and leftover object
 * versions, failures scripted per operation, a record of every call and of the connections used,
 * and a gate that holds a bucket creation in flight (to test locks and concurrency).
 *
 * <p>It follows the port's contract, errors included: creating a bucket another account owns is
 * {@code ALREADY_EXISTS}, looking into it is {@code PERMISSION_DENIED}, deleting in a bucket with
 * Object Lock is {@code FAILED_PRECONDITION} before anything is removed, deleting a bucket that
 * still holds objects or versions is {@code FAILED_PRECONDITION}, and deleting what is gone
 * succeeds.
 *
 * <pre>{@code
 * FakeBucketProvisioner s3 = new FakeBucketProvisioner();
 * s3.addBucket("shared");
 * s3.failNext(Operation.CREATE_BUCKET, () -> DriverException.unavailable("s3 down", null));
 * // ... exercise the code under test ...
 * assertThat(s3.keys("shared")).containsExactly("pvc-1/");
 * }</pre>
 */
public final class FakeBucketProvisioner implements BucketProvisioner {

  /** The port's operations, for scripted failures. */
  public enum Operation {
    /** {@link BucketProvisioner#createBucket}. */
    CREATE_BUCKET,
    /** {@link BucketProvisioner#bucketExists}. */
    BUCKET_EXISTS,
    /** {@link BucketProvisioner#readMarker}. */
    READ_MARKER,
    /** {@link BucketProvisioner#writeMarker}. */
    WRITE_MARKER,
    /** {@link BucketProvisioner#listKeys}. */
    LIST_KEYS,
    /** {@link BucketProvisioner#deleteObjects}. */
    DELETE_OBJECTS,
    /** {@link BucketProvisioner#deleteObject}. */
    DELETE_OBJECT,
    /** {@link BucketProvisioner#deleteBucket}. */
    DELETE_BUCKET
  }

  private static final class Bucket {
    private final TreeMap<String, Map<String, String>> objects = new TreeMap<>();
    private int noncurrentVersions;
    private boolean objectLock;
  }

  private final Map<String, Bucket> buckets = new HashMap<>();
  private final Set<String> foreign = new HashSet<>();
  private final List<String> calls = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();
  private final Map<Operation, Deque<Supplier<? extends RuntimeException>>> failures =
      new EnumMap<>(Operation.class);
  private volatile CountDownLatch gate;
  private volatile CountDownLatch entered = new CountDownLatch(1);
  private int bucketsCreated;

  /** Creates an empty store. */
  public FakeBucketProvisioner() {}

  @Override
  public BucketCreation createBucket(Connection connection, String bucket) {
    synchronized (this) {
      enter(Operation.CREATE_BUCKET, connection, "createBucket " + bucket);
      if (foreign.contains(bucket)) {
        throw DriverException.alreadyExists(
            "bucket " + bucket + " is owned by another account (BucketAlreadyExists)");
      }
    }
    CountDownLatch hold = gate;
    if (hold != null) {
      entered.countDown();
      try {
        if (!hold.await(30, TimeUnit.SECONDS)) {
          throw DriverException.deadlineExceeded("fake: the createBucket gate was never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DriverException.internal("fake: interrupted", e);
      }
    }
    synchronized (this) {
      if (buckets.containsKey(bucket)) {
        return BucketCreation.ALREADY_OWNED;
      }
      buckets.put(bucket, new Bucket());
      bucketsCreated++;
      return BucketCreation.CREATED;
    }
  }

  @Override
  public synchronized boolean bucketExists(Connection connection, String bucket) {
    enter(Operation.BUCKET_EXISTS, connection, "bucketExists " + bucket);
    requireNotForeign(bucket);
    return buckets.containsKey(bucket);
  }

  @Override
  public synchronized Optional<Map<String, String>> readMarker(
      Connection connection, String bucket, String key) {
    enter(Operation.READ_MARKER, connection, "readMarker " + bucket + "/" + key);
    requireNotForeign(bucket);
    Bucket b = buckets.get(bucket);
    return b == null ? Optional.empty() : Optional.ofNullable(b.objects.get(key)).map(Map::copyOf);
  }

  @Override
  public synchronized void writeMarker(
      Connection connection, String bucket, String key, Map<String, String> metadata) {
    enter(Operation.WRITE_MARKER, connection, "writeMarker " + bucket + "/" + key);
    existing(bucket).objects.put(key, Map.copyOf(metadata));
  }

  @Override
  public synchronized List<String> listKeys(
      Connection connection, String bucket, String prefix, int limit) {
    enter(Operation.LIST_KEYS, connection, "listKeys " + bucket + "/" + prefix);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    return existing(bucket).objects.keySet().stream()
        .filter(key -> key.startsWith(prefix))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized void deleteObjects(
      Connection connection, String bucket, String prefix, Optional<String> keep) {
    enter(Operation.DELETE_OBJECTS, connection, "deleteObjects " + bucket + "/" + prefix);
    Bucket b = buckets.get(bucket);
    if (b == null) {
      return;
    }
    requireUnlocked(bucket, b);
    b.objects.keySet().removeIf(key -> key.startsWith(prefix) && !keep.equals(Optional.of(key)));
    if (prefix.isEmpty()) {
      b.noncurrentVersions = 0;
    }
  }

  @Override
  public synchronized void deleteObject(Connection connection, String bucket, String key) {
    enter(Operation.DELETE_OBJECT, connection, "deleteObject " + bucket + "/" + key);
    Bucket b = buckets.get(bucket);
    if (b == null) {
      return;
    }
    requireUnlocked(bucket, b);
    b.objects.remove(key);
  }

  @Override
  public synchronized void deleteBucket(Connection connection, String bucket) {
    enter(Operation.DELETE_BUCKET, connection, "deleteBucket " + bucket);
    Bucket b = buckets.get(bucket);
    if (b == null) {
      return;
    }
    if (!b.objects.isEmpty() || b.noncurrentVersions > 0) {
      throw DriverException.failedPrecondition(
          "bucket "
              + bucket
              + " is not empty (BucketNotEmpty): "
              + b.objects.size()
              + " objects, "
              + b.noncurrentVersions
              + " noncurrent versions");
    }
    buckets.remove(bucket);
  }

  /** Adds an empty bucket owned by the caller (as if created outside the code under test). */
  public synchronized FakeBucketProvisioner addBucket(String bucket) {
    buckets.putIfAbsent(bucket, new Bucket());
    return this;
  }

  /** Adds a bucket owned by another account: creating it is ALREADY_EXISTS, reading it denied. */
  public synchronized FakeBucketProvisioner addForeignBucket(String bucket) {
    foreign.add(bucket);
    return this;
  }

  /** Stores a data object (no user metadata) in an existing bucket. */
  public synchronized FakeBucketProvisioner putObject(String bucket, String key) {
    return putObject(bucket, key, Map.of());
  }

  /** Stores an object with user metadata in an existing bucket. */
  public synchronized FakeBucketProvisioner putObject(
      String bucket, String key, Map<String, String> metadata) {
    existing(bucket).objects.put(key, Map.copyOf(metadata));
    return this;
  }

  /** Removes an object from an existing bucket, as someone working around s3csi would. */
  public synchronized FakeBucketProvisioner removeObject(String bucket, String key) {
    existing(bucket).objects.remove(key);
    return this;
  }

  /** Turns Object Lock on for an existing bucket: every delete in it then fails. */
  public synchronized FakeBucketProvisioner enableObjectLock(String bucket) {
    existing(bucket).objectLock = true;
    return this;
  }

  /**
   * Adds noncurrent object versions to an existing bucket (as left by overwrites under versioning):
   * they keep {@code deleteBucket} from succeeding until a {@code deleteObjects} of the whole
   * bucket removes them.
   */
  public synchronized FakeBucketProvisioner addNoncurrentVersions(String bucket, int count) {
    existing(bucket).noncurrentVersions += count;
    return this;
  }

  /** Makes the next call of an operation throw the supplied exception. Calls queue up. */
  public synchronized FakeBucketProvisioner failNext(
      Operation operation, Supplier<? extends RuntimeException> failure) {
    failures.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(failure);
    return this;
  }

  /**
   * Holds every following {@link #createBucket} call, after its checks and before it creates, until
   * {@link #release()}. Use {@link #awaitHeldCreateBucket} to know one is held.
   */
  public synchronized void holdCreateBucket() {
    entered = new CountDownLatch(1);
    gate = new CountDownLatch(1);
  }

  /**
   * Waits until a {@link #createBucket} call is held by {@link #holdCreateBucket()}.
   *
   * @param timeout how long to wait
   * @return whether a call arrived in time
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitHeldCreateBucket(Duration timeout) throws InterruptedException {
    return entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lets held calls continue and stops holding new ones. */
  public void release() {
    CountDownLatch hold = gate;
    gate = null;
    if (hold != null) {
      hold.countDown();
    }
  }

  /** Tells whether a bucket owned by the caller exists. */
  public synchronized boolean hasBucket(String bucket) {
    return buckets.containsKey(bucket);
  }

  /** Returns the keys of an existing bucket, sorted. */
  public synchronized List<String> keys(String bucket) {
    return List.copyOf(existing(bucket).objects.keySet());
  }

  /** Returns the user metadata of an object, if it exists. */
  public synchronized Optional<Map<String, String>> metadata(String bucket, String key) {
    Bucket b = buckets.get(bucket);
    return b == null ? Optional.empty() : Optional.ofNullable(b.objects.get(key));
  }

  /** Returns how many buckets {@link #createBucket} has created. */
  public synchronized int bucketsCreated() {
    return bucketsCreated;
  }

  /** Returns every call so far, as {@code "createBucket b"}, {@code "readMarker b/key"}, ... */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Returns the connection of every call so far, in call order. */
  public synchronized List<Connection> connections() {
    return List.copyOf(connections);
  }

  /** Forgets the recorded calls and connections. */
  public synchronized void clearCalls() {
    calls.clear();
    connections.clear();
  }

  private void enter(Operation operation, Connection connection, String call) {
    calls.add(call);
    connections.add(connection);
    Deque<Supplier<? extends RuntimeException>> queue = failures.get(operation);
    Supplier<? extends RuntimeException> failure = queue == null ? null : queue.poll();
    if (failure != null) {
      throw failure.get();
    }
  }

  private void requireNotForeign(String bucket) {
    if (foreign.contains(bucket)) {
      throw new DriverException(
          ErrorKind.PERMISSION_DENIED, "access to bucket " + bucket + " denied (AccessDenied)");
    }
  }

  private static void requireUnlocked(String name, Bucket bucket) {
    if (bucket.objectLock) {
      throw DriverException.failedPrecondition(
          "bucket " + name + " has Object Lock enabled; s3csi does not bypass retention");
    }
  }

  private Bucket existing(String bucket) {
    requireNotForeign(bucket);
    Bucket b = buckets.get(bucket);
    if (b == null) {
      throw DriverException.notFound("bucket " + bucket + " does not exist (NoSuchBucket)");
    }
    return b;
  }
}
