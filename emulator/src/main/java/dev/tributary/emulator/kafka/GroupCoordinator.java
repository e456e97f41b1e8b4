package dev.tributary.emulator.kafka;

import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import dev.tributary.store.api.StreamSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Classic consumer groups (the protocol before KIP-848): JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup, DescribeGroups, ListGroups, and committed offsets (OffsetCommit, OffsetFetch).
 *
 * <p>Group membership lives in memory, as in a Kafka coordinator after a restart clients simply
 * rejoin. The states are Kafka's: {@code Empty -> PreparingRebalance -> CompletingRebalance ->
 * Stable}. A JoinGroup starts (or joins) a rebalance and waits until every known member has joined
 * again or the rebalance timeout passed (members that did not rejoin are dropped); the leader
 * then gets every member's subscription, assigns on the client side and sends the assignment in
 * SyncGroup, which followers wait for. A member silent for longer than its session timeout
 * (on the emulator's clock) is removed and the group rebalances. There is no initial rebalance
 * delay ({@code group.initial.rebalance.delay.ms=0}).
 *
 * <p>Committed offsets are durable: each group has a store stream {@value #STORE_PREFIX}group whose
 * attributes hold {@code o/<topic>/<partition>} = {@code offset,leaderEpoch,metadata}, replaced
 * atomically per commit, so they survive a restart.
 *
 * <p>Thread-safe: each group's state is guarded by the group object's monitor, on which waiting
 * joins and syncs block.
 */
final class GroupCoordinator implements AutoCloseable {
    public static final String STORE_PREFIX = "kafka-group/";
    static final String EMPTY = "Empty";
    static final String PREPARING = "PreparingRebalance";
    static final String COMPLETING = "CompletingRebalance";
    static final String STABLE = "Stable";
    static final String DEAD = "Dead";
    /** Kafka's {@code group.min.session.timeout.ms} and {@code group.max.session.timeout.ms} defaults. */
    static final int MIN_SESSION_TIMEOUT = 6000;
    static final int MAX_SESSION_TIMEOUT = 1_800_000;

    private final KafkaTopics topics;
    private final Clock clock;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private ScheduledExecutorService expiry;

    GroupCoordinator(KafkaTopics topics, Clock clock) {
        this.topics = topics;
        this.clock = clock;
    }

    private static final class Member {
        final String id;
        String instanceId;
        String clientId;
        String clientHost;
        int sessionTimeoutMs;
        int rebalanceTimeoutMs;
        List<JoinGroupRequestData.JoinGroupRequestProtocol> protocols = List.of();
        byte[] assignment = new byte[0];
        boolean joined;
        long lastSeen;

        Member(String id) {
            this.id = id;
        }

        byte[] metadata(String protocol) {
            for (JoinGroupRequestData.JoinGroupRequestProtocol p : protocols) {
                if (p.name().equals(protocol)) {
                    return p.metadata();
                }
            }
            return new byte[0];
        }
    }

    private static final class Group {
        final String id;
        String state = EMPTY;
        int generation;
        String protocolType;
        String protocol;
        String leader;
        long rebalanceDeadline;
        final Map<String, Member> members = new LinkedHashMap<>();
        final Set<String> pending = new java.util.HashSet<>();

        Group(String id) {
            this.id = id;
        }
    }

    private Group group(String id) {
        return groups.computeIfAbsent(id, Group::new);
    }

    void startExpiry() {
        expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-group-expiry");
            t.setDaemon(true);
            return t;
        });
        expiry.scheduleWithFixedDelay(this::expireMembers, 500, 500, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (expiry != null) {
            expiry.shutdownNow();
        }
        for (Group g : groups.values()) {
            synchronized (g) {
                g.state = DEAD;
                g.notifyAll();
            }
        }
    }

    /** Removes members whose session timed out; runs every 500 ms. */
    void expireMembers() {
        long now = clock.millis();
        for (Group g : groups.values()) {
            synchronized (g) {
                boolean removed = false;
                for (var it = g.members.values().iterator(); it.hasNext(); ) {
                    Member m = it.next();
                    boolean waitingInJoin = g.state.equals(PREPARING) && m.joined;
                    if (!waitingInJoin && now - m.lastSeen > m.sessionTimeoutMs) {
                        it.remove();
                        removed = true;
                    }
                }
                if (removed) {
                    membersChanged(g, now);
                }
            }
        }
    }

    /** After members left or expired: rebalance the rest, or settle an empty group. */
    private void membersChanged(Group g, long now) {
        if (g.members.isEmpty()) {
            if (!g.state.equals(EMPTY)) {
                g.generation++;
                g.state = EMPTY;
                g.leader = null;
                g.protocol = null;
            }
        } else if (!g.state.equals(PREPARING)) {
            startRebalance(g, now);
        }
        g.notifyAll();
    }

    private static void startRebalance(Group g, long now) {
        g.state = PREPARING;
        int timeout = 0;
        for (Member m : g.members.values()) {
            m.joined = false;
            timeout = Math.max(timeout, m.rebalanceTimeoutMs);
        }
        g.rebalanceDeadline = now + timeout;
    }

    /** Ends the join phase: drops members that did not rejoin, picks the protocol and the leader. */
    private void completeJoin(Group g) {
        g.members.values().removeIf(m -> !m.joined);
        g.generation++;
        if (g.members.isEmpty()) {
            g.state = EMPTY;
            g.leader = null;
            g.protocol = null;
        } else {
            g.protocol = selectProtocol(g);
            if (g.leader == null || !g.members.containsKey(g.leader)) {
                g.leader = g.members.keySet().iterator().next();
            }
            for (Member m : g.members.values()) {
                m.assignment = new byte[0];
            }
            g.state = COMPLETING;
        }
        g.notifyAll();
    }

    /** Kafka's vote: among the protocols every member supports, the one most members prefer. */
    private static String selectProtocol(Group g) {
        Map<String, Integer> votes = new LinkedHashMap<>();
        Member first = g.members.values().iterator().next();
        for (JoinGroupRequestData.JoinGroupRequestProtocol p : first.protocols) {
            boolean all = g.members.values().stream().allMatch(m -> m.protocols.stream().anyMatch(q -> q.name().equals(p.name())));
            if (all) {
                votes.put(p.name(), 0);
            }
        }
        for (Member m : g.members.values()) {
            for (JoinGroupRequestData.JoinGroupRequestProtocol p : m.protocols) {
                if (votes.containsKey(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    // ---- JoinGroup ------------------------------------------------------------------------------

    JoinGroupResponseData join(JoinGroupRequestData req, short v, String clientId, String clientHost) {
        JoinGroupResponseData out = new JoinGroupResponseData().setGenerationId(-1).setLeader("").setMemberId("")
                .setProtocolName(v >= 7 ? null : "");
        if (req.groupId() == null || req.groupId().isEmpty()) {
            return out.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        if (req.sessionTimeoutMs() < MIN_SESSION_TIMEOUT || req.sessionTimeoutMs() > MAX_SESSION_TIMEOUT) {
            return out.setErrorCode(Errors.INVALID_SESSION_TIMEOUT.code());
        }
        if (req.protocols().isEmpty() || req.protocolType() == null || req.protocolType().isEmpty()) {
            return out.setErrorCode(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
        }
        Group g = group(req.groupId());
        synchronized (g) {
            if (g.state.equals(DEAD)) {
                return out.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
            }
            long now = clock.millis();
            if (!g.members.isEmpty() && !Objects.equals(g.protocolType, req.protocolType())) {
                return out.setErrorCode(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
            }
            String memberId = req.memberId();
            if (memberId.isEmpty() && req.groupInstanceId() != null) {
                // Static membership (KIP-345): a restarted instance takes its old place under a new member id.
                String instance = req.groupInstanceId();
                Member old = g.members.values().stream().filter(x -> instance.equals(x.instanceId)).findFirst().orElse(null);
                memberId = (clientId.isEmpty() ? "member" : clientId) + "-" + UUID.randomUUID();
                if (old != null) {
                    g.members.remove(old.id);
                    if (old.id.equals(g.leader)) {
                        g.leader = memberId;
                    }
                }
                g.pending.add(memberId);
            } else if (memberId.isEmpty()) {
                memberId = (clientId.isEmpty() ? "member" : clientId) + "-" + UUID.randomUUID();
                if (v >= 4) {
                    g.pending.add(memberId);
                    return out.setErrorCode(Errors.MEMBER_ID_REQUIRED.code()).setMemberId(memberId);
                }
            } else if (!g.members.containsKey(memberId) && !g.pending.contains(memberId)) {
                return out.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()).setMemberId(memberId);
            }
            g.pending.remove(memberId);
            Member m = g.members.get(memberId);
            if (m == null) {
                m = new Member(memberId);
                g.members.put(memberId, m);
            }
            g.protocolType = req.protocolType();
            m.instanceId = req.groupInstanceId();
            m.clientId = clientId;
            m.clientHost = clientHost;
            m.sessionTimeoutMs = req.sessionTimeoutMs();
            m.rebalanceTimeoutMs = v >= 1 ? req.rebalanceTimeoutMs() : req.sessionTimeoutMs();
            m.protocols = List.copyOf(req.protocols());
            m.lastSeen = now;
            if (!g.state.equals(PREPARING)) {
                startRebalance(g, now);
            }
            m.joined = true;
            g.notifyAll();
            while (true) {
                now = clock.millis();
                if (!g.members.containsKey(memberId)) {
                    return out.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()).setMemberId(memberId);
                }
                if (g.state.equals(DEAD)) {
                    return out.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                }
                if (g.state.equals(PREPARING)) {
                    boolean allJoined = g.members.values().stream().allMatch(x -> x.joined);
                    if (allJoined || now >= g.rebalanceDeadline) {
                        completeJoin(g);
                        continue;
                    }
                    waitOn(g, g.rebalanceDeadline - now);
                    continue;
                }
                Member me = g.members.get(memberId);
                me.lastSeen = now;
                out.setErrorCode(Errors.NONE.code()).setGenerationId(g.generation).setProtocolType(g.protocolType)
                        .setProtocolName(g.protocol).setLeader(g.leader).setMemberId(memberId);
                if (memberId.equals(g.leader)) {
                    for (Member x : g.members.values()) {
                        out.members().add(new JoinGroupResponseData.JoinGroupResponseMember().setMemberId(x.id)
                                .setGroupInstanceId(x.instanceId).setMetadata(x.metadata(g.protocol)));
                    }
                }
                return out;
            }
        }
    }

    private static void waitOn(Object monitor, long millis) {
        try {
            monitor.wait(Math.max(1, Math.min(millis, 1000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- SyncGroup ------------------------------------------------------------------------------

    SyncGroupResponseData sync(SyncGroupRequestData req, short v) {
        SyncGroupResponseData out = new SyncGroupResponseData().setAssignment(new byte[0]);
        Group g = groups.get(req.groupId());
        if (g == null) {
            return out.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        }
        synchronized (g) {
            Member m = g.members.get(req.memberId());
            if (m == null) {
                return out.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
            }
            if (req.generationId() != g.generation) {
                return out.setErrorCode(Errors.ILLEGAL_GENERATION.code());
            }
            if (g.state.equals(PREPARING)) {
                return out.setErrorCode(Errors.REBALANCE_IN_PROGRESS.code());
            }
            m.lastSeen = clock.millis();
            if (g.state.equals(COMPLETING) && req.memberId().equals(g.leader)) {
                for (SyncGroupRequestData.SyncGroupRequestAssignment a : req.assignments()) {
                    Member target = g.members.get(a.memberId());
                    if (target != null) {
                        target.assignment = a.assignment();
                    }
                }
                g.state = STABLE;
                g.notifyAll();
            }
            int generation = g.generation;
            long deadline = clock.millis() + m.rebalanceTimeoutMs;
            while (g.state.equals(COMPLETING) && g.generation == generation && g.members.containsKey(m.id)) {
                long now = clock.millis();
                if (now >= deadline) {
                    return out.setErrorCode(Errors.REBALANCE_IN_PROGRESS.code());
                }
                waitOn(g, deadline - now);
            }
            if (!g.members.containsKey(m.id)) {
                return out.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
            }
            if (!g.state.equals(STABLE) || g.generation != generation) {
                return out.setErrorCode(Errors.REBALANCE_IN_PROGRESS.code());
            }
            out.setErrorCode(Errors.NONE.code()).setAssignment(m.assignment);
            if (v >= 5) {
                out.setProtocolType(g.protocolType).setProtocolName(g.protocol);
            }
            return out;
        }
    }

    // ---- Heartbeat, LeaveGroup ------------------------------------------------------------------

    HeartbeatResponseData heartbeat(HeartbeatRequestData req) {
        HeartbeatResponseData out = new HeartbeatResponseData();
        Group g = groups.get(req.groupId());
        if (g == null) {
            return out.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        }
        synchronized (g) {
            Member m = g.members.get(req.memberId());
            if (m == null) {
                return out.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
            }
            m.lastSeen = clock.millis();
            if (g.state.equals(PREPARING)) {
                return out.setErrorCode(Errors.REBALANCE_IN_PROGRESS.code());
            }
            if (req.generationId() != g.generation) {
                return out.setErrorCode(Errors.ILLEGAL_GENERATION.code());
            }
            return out.setErrorCode(Errors.NONE.code());
        }
    }

    LeaveGroupResponseData leave(LeaveGroupRequestData req, short v) {
        LeaveGroupResponseData out = new LeaveGroupResponseData();
        List<LeaveGroupRequestData.MemberIdentity> leaving = new ArrayList<>();
        if (v < 3) {
            leaving.add(new LeaveGroupRequestData.MemberIdentity().setMemberId(req.memberId()));
        } else {
            leaving.addAll(req.members());
        }
        Group g = groups.get(req.groupId());
        if (g == null) {
            if (v < 3) {
                return out.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
            }
            for (LeaveGroupRequestData.MemberIdentity id : leaving) {
                out.members().add(new LeaveGroupResponseData.MemberResponse().setMemberId(id.memberId())
                        .setGroupInstanceId(id.groupInstanceId()).setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
            }
            return out.setErrorCode(Errors.NONE.code());
        }
        synchronized (g) {
            boolean removed = false;
            Errors first = Errors.NONE;
            for (LeaveGroupRequestData.MemberIdentity id : leaving) {
                String memberId = id.memberId();
                if ((memberId == null || memberId.isEmpty()) && id.groupInstanceId() != null) {
                    memberId = g.members.values().stream().filter(m -> id.groupInstanceId().equals(m.instanceId))
                            .map(m -> m.id).findFirst().orElse(null);
                }
                Errors e = memberId != null && g.members.remove(memberId) != null ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
                removed |= e == Errors.NONE;
                if (first == Errors.NONE) {
                    first = e;
                }
                if (v >= 3) {
                    out.members().add(new LeaveGroupResponseData.MemberResponse().setMemberId(id.memberId())
                            .setGroupInstanceId(id.groupInstanceId()).setErrorCode(e.code()));
                }
            }
            if (removed) {
                membersChanged(g, clock.millis());
            }
            return out.setErrorCode(v < 3 ? first.code() : Errors.NONE.code());
        }
    }

    // ---- DescribeGroups, ListGroups -------------------------------------------------------------

    DescribeGroupsResponseData describe(DescribeGroupsRequestData req, short v) {
        DescribeGroupsResponseData out = new DescribeGroupsResponseData();
        for (String id : req.groups()) {
            DescribeGroupsResponseData.DescribedGroup d = new DescribeGroupsResponseData.DescribedGroup().setGroupId(id)
                    .setErrorCode(Errors.NONE.code()).setProtocolType("").setProtocolData("");
            Group g = groups.get(id);
            if (g == null) {
                d.setGroupState(hasOffsets(id) ? EMPTY : DEAD);
            } else {
                synchronized (g) {
                    d.setGroupState(g.state).setProtocolType(g.protocolType == null ? "" : g.protocolType)
                            .setProtocolData(g.state.equals(STABLE) && g.protocol != null ? g.protocol : "");
                    for (Member m : g.members.values()) {
                        DescribeGroupsResponseData.DescribedGroupMember dm = new DescribeGroupsResponseData.DescribedGroupMember()
                                .setMemberId(m.id).setClientId(m.clientId).setClientHost(m.clientHost)
                                .setMemberMetadata(g.protocol == null ? new byte[0] : m.metadata(g.protocol))
                                .setMemberAssignment(m.assignment);
                        if (v >= 4) {
                            dm.setGroupInstanceId(m.instanceId);
                        }
                        d.members().add(dm);
                    }
                }
            }
            out.groups().add(d);
        }
        return out;
    }

    ListGroupsResponseData list(ListGroupsRequestData req) {
        ListGroupsResponseData out = new ListGroupsResponseData().setErrorCode(Errors.NONE.code());
        Map<String, String[]> all = new TreeMap<>();
        for (StreamInfo s : topics.store().streams()) {
            if (s.name().startsWith(STORE_PREFIX)) {
                all.put(s.name().substring(STORE_PREFIX.length()), new String[] {EMPTY, "consumer"});
            }
        }
        for (Group g : groups.values()) {
            synchronized (g) {
                if (!g.state.equals(DEAD) && (g.protocolType != null || all.containsKey(g.id))) {
                    all.put(g.id, new String[] {g.state, g.protocolType == null ? "consumer" : g.protocolType});
                }
            }
        }
        for (Map.Entry<String, String[]> e : all.entrySet()) {
            if (req.statesFilter() != null && !req.statesFilter().isEmpty()
                    && req.statesFilter().stream().noneMatch(s -> s.equalsIgnoreCase(e.getValue()[0]))) {
                continue;
            }
            if (req.typesFilter() != null && !req.typesFilter().isEmpty()
                    && req.typesFilter().stream().noneMatch(s -> s.equalsIgnoreCase("classic"))) {
                continue;
            }
            out.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(e.getKey())
                    .setProtocolType(e.getValue()[1]).setGroupState(e.getValue()[0]).setGroupType("classic"));
        }
        return out;
    }

    /**
     * DeleteGroups: a group without members is forgotten with its committed offsets; one with
     * members is {@code NON_EMPTY_GROUP}; an unknown one {@code GROUP_ID_NOT_FOUND}.
     */
    org.apache.kafka.common.message.DeleteGroupsResponseData delete(org.apache.kafka.common.message.DeleteGroupsRequestData req) {
        org.apache.kafka.common.message.DeleteGroupsResponseData out = new org.apache.kafka.common.message.DeleteGroupsResponseData();
        for (String id : req.groupsNames()) {
            Errors error = Errors.NONE;
            Group g = groups.get(id);
            boolean stored = hasOffsets(id);
            if (g != null) {
                synchronized (g) {
                    if (!g.members.isEmpty()) {
                        error = Errors.NON_EMPTY_GROUP;
                    } else {
                        g.state = DEAD;
                        g.notifyAll();
                        groups.remove(id, g);
                    }
                }
            } else if (!stored) {
                error = Errors.GROUP_ID_NOT_FOUND;
            }
            if (error == Errors.NONE && stored) {
                try {
                    topics.store().deleteStream(STORE_PREFIX + id);
                } catch (StreamNotFoundException e) {
                    // deleted meanwhile
                }
            }
            out.results().add(new org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult()
                    .setGroupId(id).setErrorCode(error.code()));
        }
        return out;
    }

    // ---- committed offsets ------------------------------------------------------------------------

    private boolean hasOffsets(String groupId) {
        return topics.store().stream(STORE_PREFIX + groupId).isPresent();
    }

    OffsetCommitResponseData commit(OffsetCommitRequestData req, short v) {
        OffsetCommitResponseData out = new OffsetCommitResponseData();
        Errors groupError = Errors.NONE;
        Group g = groups.get(req.groupId());
        if (req.groupId() == null || req.groupId().isEmpty()) {
            groupError = Errors.INVALID_GROUP_ID;
        } else if (g != null) {
            synchronized (g) {
                boolean fromMember = req.generationIdOrMemberEpoch() >= 0 || !req.memberId().isEmpty();
                if (!fromMember) {
                    if (!g.members.isEmpty()) {
                        groupError = g.state.equals(COMPLETING) ? Errors.REBALANCE_IN_PROGRESS : Errors.UNKNOWN_MEMBER_ID;
                    }
                } else if (!g.members.containsKey(req.memberId())) {
                    groupError = Errors.UNKNOWN_MEMBER_ID;
                } else if (req.generationIdOrMemberEpoch() != g.generation) {
                    groupError = Errors.ILLEGAL_GENERATION;
                } else if (g.state.equals(COMPLETING)) {
                    groupError = Errors.REBALANCE_IN_PROGRESS;
                } else {
                    g.members.get(req.memberId()).lastSeen = clock.millis();
                }
            }
        } else if (req.generationIdOrMemberEpoch() >= 0) {
            groupError = Errors.UNKNOWN_MEMBER_ID;
        }
        Map<String, String> updates = new HashMap<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : req.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic tr = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                    .setName(t.name());
            StreamInfo topic = topics.find(t.name()).orElse(null);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                Errors e = groupError;
                if (e == Errors.NONE && (topic == null || p.partitionIndex() < 0
                        || p.partitionIndex() >= KafkaTopics.partitions(topic))) {
                    e = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                }
                if (e == Errors.NONE) {
                    String meta = p.committedMetadata() == null ? "" : p.committedMetadata();
                    updates.put(offsetKey(t.name(), p.partitionIndex()),
                            p.committedOffset() + "," + p.committedLeaderEpoch() + "," + meta);
                }
                tr.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(e.code()));
            }
            out.topics().add(tr);
        }
        if (!updates.isEmpty()) {
            try {
                storeOffsets(req.groupId(), updates);
            } catch (RuntimeException e) {
                Errors err = Errors.COORDINATOR_NOT_AVAILABLE;
                for (OffsetCommitResponseData.OffsetCommitResponseTopic tr : out.topics()) {
                    for (OffsetCommitResponseData.OffsetCommitResponsePartition pr : tr.partitions()) {
                        if (pr.errorCode() == Errors.NONE.code()) {
                            pr.setErrorCode(err.code());
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String offsetKey(String topic, int partition) {
        return "o/" + topic + "/" + partition;
    }

    private void storeOffsets(String groupId, Map<String, String> updates) {
        String name = STORE_PREFIX + groupId;
        for (int attempt = 0; ; attempt++) {
            if (topics.store().stream(name).isEmpty()) {
                try {
                    topics.store().createStream(new StreamSpec(name, 1, Duration.ofDays(7),
                            Map.of(KafkaTopics.KIND, "group")));
                } catch (StreamExistsException e) {
                    // created by a concurrent commit
                }
            }
            try {
                topics.store().updateStream(name, attrs -> {
                    Map<String, String> next = new HashMap<>(attrs);
                    next.putAll(updates);
                    return next;
                }, null);
                return;
            } catch (StreamNotFoundException e) {
                if (attempt > 2) {
                    throw e;
                }
            }
        }
    }

    /** The committed offsets of a group: key {@code topic}, partition to {offset, epoch, metadata}. */
    private Map<String, Map<Integer, String[]>> storedOffsets(String groupId) {
        Map<String, Map<Integer, String[]>> out = new TreeMap<>();
        topics.store().stream(STORE_PREFIX + groupId).ifPresent(s -> s.attributes().forEach((k, val) -> {
            if (k.startsWith("o/")) {
                int slash = k.lastIndexOf('/');
                String topic = k.substring(2, slash);
                int partition = Integer.parseInt(k.substring(slash + 1));
                out.computeIfAbsent(topic, x -> new TreeMap<>()).put(partition, val.split(",", 3));
            }
        }));
        return out;
    }

    OffsetFetchResponseData fetchOffsets(OffsetFetchRequestData req, short v) {
        OffsetFetchResponseData out = new OffsetFetchResponseData().setErrorCode(Errors.NONE.code());
        if (v < 8) {
            Map<String, Map<Integer, String[]>> stored = storedOffsets(req.groupId());
            List<OffsetFetchRequestData.OffsetFetchRequestTopic> wanted = req.topics();
            if (wanted == null) {
                wanted = new ArrayList<>();
                for (Map.Entry<String, Map<Integer, String[]>> e : stored.entrySet()) {
                    wanted.add(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(e.getKey())
                            .setPartitionIndexes(new ArrayList<>(e.getValue().keySet())));
                }
            }
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : wanted) {
                OffsetFetchResponseData.OffsetFetchResponseTopic tr = new OffsetFetchResponseData.OffsetFetchResponseTopic()
                        .setName(t.name());
                for (int p : t.partitionIndexes()) {
                    String[] o = stored.getOrDefault(t.name(), Map.of()).get(p);
                    tr.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(p)
                            .setCommittedOffset(o == null ? -1 : Long.parseLong(o[0]))
                            .setCommittedLeaderEpoch(o == null ? -1 : Integer.parseInt(o[1]))
                            .setMetadata(o == null ? "" : o[2]).setErrorCode(Errors.NONE.code()));
                }
                out.topics().add(tr);
            }
            return out;
        }
        for (OffsetFetchRequestData.OffsetFetchRequestGroup rg : req.groups()) {
            Map<String, Map<Integer, String[]>> stored = storedOffsets(rg.groupId());
            OffsetFetchResponseData.OffsetFetchResponseGroup gr = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                    .setGroupId(rg.groupId()).setErrorCode(Errors.NONE.code());
            List<OffsetFetchRequestData.OffsetFetchRequestTopics> wanted = rg.topics();
            if (wanted == null) {
                wanted = new ArrayList<>();
                for (Map.Entry<String, Map<Integer, String[]>> e : stored.entrySet()) {
                    wanted.add(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(e.getKey())
                            .setPartitionIndexes(new ArrayList<>(e.getValue().keySet())));
                }
            }
            for (OffsetFetchRequestData.OffsetFetchRequestTopics t : wanted) {
                OffsetFetchResponseData.OffsetFetchResponseTopics tr = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                        .setName(t.name());
                for (int p : t.partitionIndexes()) {
                    String[] o = stored.getOrDefault(t.name(), Map.of()).get(p);
                    tr.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(p)
                            .setCommittedOffset(o == null ? -1 : Long.parseLong(o[0]))
                            .setCommittedLeaderEpoch(o == null ? -1 : Integer.parseInt(o[1]))
                            .setMetadata(o == null ? "" : o[2]).setErrorCode(Errors.NONE.code()));
                }
                gr.topics().add(tr);
            }
            out.groups().add(gr);
        }
        return out;
    }
}
