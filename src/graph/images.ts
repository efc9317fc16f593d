/** Recognise well-known server images by repository name (registry, organisation, tag and digest ignored). */

export function imageName(image: unknown): string {
  if (typeof image !== 'string') return '';
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const repo = noDigest.slice(lastSlash + 1);
  return repo.split(':')[0].toLowerCase();
}

/** Single-primary database and cache servers: scaling their pods does not replicate their data. */
export const STATEFUL_SERVERS: Record<string, string> = {
  postgres: 'PostgreSQL',
  postgresql: 'PostgreSQL',
  mysql: 'MySQL',
  'mysql-server': 'MySQL',
  mariadb: 'MariaDB',
  'percona-server': 'Percona Server',
  mongo: 'MongoDB',
  mongodb: 'MongoDB',
  redis: 'Redis',
  'redis-stack-server': 'Redis',
  valkey: 'Valkey',
  keydb: 'KeyDB',
};

/** Images whose memory use does not fall when load falls (JVM heaps, caches, databases). */
export const NON_ELASTIC_MEMORY: Record<string, string> = {
  ...STATEFUL_SERVERS,
  memcached: 'memcached',
  elasticsearch: 'Elasticsearch',
  opensearch: 'OpenSearch',
  openjdk: 'a JVM',
  'eclipse-temurin': 'a JVM',
  amazoncorretto: 'a JVM',
  'ibm-semeru-runtimes': 'a JVM',
  tomcat: 'a JVM (Tomcat)',
  jetty: 'a JVM (Jetty)',
  kafka: 'Kafka (a JVM)',
  cassandra: 'Cassandra (a JVM)',
  neo4j: 'Neo4j (a JVM)',
  keycloak: 'Keycloak (a JVM)',
};
