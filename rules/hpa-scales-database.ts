import { defineRule } from '../src/rule.js';
import { containersOf } from '../src/graph/workloads.js';
import { imageName, STATEFUL_SERVERS } from '../src/graph/images.js';

/** Clustered data stores whose nodes hold shards, replicas or quorum membership. */
const CLUSTERED: Record<string, string> = {
  qdrant: 'Qdrant',
  neo4j: 'Neo4j',
  elasticsearch: 'Elasticsearch',
  opensearch: 'OpenSearch',
  cassandra: 'Cassandra',
  scylla: 'ScyllaDB',
  kafka: 'Kafka',
  'cp-kafka': 'Kafka',
  zookeeper: 'ZooKeeper',
  etcd: 'etcd',
  rabbitmq: 'RabbitMQ',
  clickhouse: 'ClickHouse',
  'clickhouse-server': 'ClickHouse',
  milvus: 'Milvus',
  weaviate: 'Weaviate',
  cockroach: 'CockroachDB',
  consul: 'Consul',
  nats: 'NATS',
  postgres: 'PostgreSQL',
  postgresql: 'PostgreSQL',
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  mongo: 'MongoDB',
  mongodb: 'MongoDB',
  redis: 'Redis',
  valkey: 'Valkey',
};

export default defineRule({
  id: 'hpa-scales-database',
  meta: {
    description: 'Forbid HorizontalPodAutoscalers on databases and clustered data stores',
    category: 'autoscaling',
    severity: 'warning',
    recommended: true,
    kinds: ['HorizontalPodAutoscaler'],
    messages: {
      database:
        'HorizontalPodAutoscaler "{{hpa}}" scales {{kind}} "{{workload}}", which runs {{store}} ({{image}}); new members join empty (shards and replicas are not rebalanced by adding pods) and scale-down deletes members that hold data or quorum votes, so autoscaling on load risks data loss and outages',
    },
    docs: {
      rationale:
        'Databases and clustered stores (PostgreSQL, MySQL, MongoDB, Redis, Elasticsearch/OpenSearch, Cassandra, Kafka, ZooKeeper, etcd, RabbitMQ, Qdrant, Milvus, Neo4j, ClickHouse, ...) keep data, shard ownership or quorum membership in each pod. An HPA adds pods when cpu rises, but a new member serves nothing until data is rebalanced by an operator or an admin, and it removes the highest ordinal when load falls, taking its shards or votes with it. Capacity for these is planned and changed deliberately, with the store\'s own tooling or an operator, not by a cpu threshold.',
      remediation: 'Remove the HPA and size the cluster explicitly (replicas plus resource requests), or let the store\'s operator handle scaling (e.g. ECK, Strimzi, Vitess, Qdrant cloud operator); autoscale the stateless tier in front of it instead.',
    },
  },
  check(hpa, ctx) {
    // the target's pod template: a workload's, or a custom resource's the operator catalogue knows (a Rollout's)
    const scaled = ctx.graph.scaleTargetTemplate(hpa);
    if (!scaled) return;
    const { target, template: t } = scaled;
    for (const c of containersOf(t)) {
      if (c.init) continue;
      const store = CLUSTERED[imageName(c.container.image)];
      if (!store) continue;
      // A Deployment of a single-primary server is already an error of database-deployment-scaled.
      if (target.kind !== 'StatefulSet' && STATEFUL_SERVERS[imageName(c.container.image)]) return;
      ctx.report({
        messageId: 'database',
        path: ['spec', 'scaleTargetRef', 'name'],
        data: { hpa: hpa.name, kind: target.kind, workload: target.name, store, image: String(c.container.image) },
        related: [{ resource: target, path: [...c.path, 'image'], message: `image of container "${c.container.name}"` }],
      });
      return;
    }
  },
});
