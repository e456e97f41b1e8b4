// Run by KafkajsIT: admin creates a topic, a producer sends keyed messages (one with a header), a
// consumer group reads them back; prints one JSON line for the Java test to check exactly.
import { Kafka, logLevel } from 'kafkajs';

const broker = process.argv[2];
const kafka = new Kafka({ clientId: 'tributary-smoke', brokers: [broker], logLevel: logLevel.NOTHING });

const admin = kafka.admin();
await admin.connect();
const created = await admin.createTopics({ topics: [{ topic: 'kjs', numPartitions: 2 }], waitForLeaders: true });
const metadata = await admin.fetchTopicMetadata({ topics: ['kjs'] });
await admin.disconnect();

const producer = kafka.producer();
await producer.connect();
await producer.send({
  topic: 'kjs',
  messages: [
    { key: 'a', value: 'one', partition: 0, headers: { trace: 'abc' } },
    { key: 'b', value: 'two', partition: 1 },
    { key: 'c', value: 'three', partition: 0 },
  ],
});
await producer.disconnect();

const consumer = kafka.consumer({ groupId: 'kjs-group' });
await consumer.connect();
await consumer.subscribe({ topic: 'kjs', fromBeginning: true });
const got = [];
await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('timed out with ' + JSON.stringify(got))), 60000);
  consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers = {};
      for (const [k, v] of Object.entries(message.headers || {})) headers[k] = v.toString();
      got.push({ partition, offset: message.offset, key: message.key.toString(), value: message.value.toString(), headers });
      if (got.length === 3) {
        clearTimeout(timer);
        resolve();
      }
    },
  }).catch(reject);
});
await consumer.disconnect();
got.sort((x, y) => x.partition - y.partition || Number(x.offset) - Number(y.offset));
console.log(JSON.stringify({ created, partitions: metadata.topics[0].partitions.length, messages: got }));
process.exit(0);
