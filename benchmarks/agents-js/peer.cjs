// The Microsoft 365 Agents SDK JS peer of the sender benchmark (dev.beckon.benchmarks.SenderBenchmark).
//
// Usage: node peer.cjs <reference.json>
// Reads commands on stdin, one a line, and answers each on stdout:
//   run <concurrency> <millis>  ->  ok <sends> <elapsed ns> <failures>
// The parent reads this process's CPU (utime + stime in /proc/<pid>/stat) before and after each
// command. Each send is the SDK's own proactive path:
//   app.proactive.sendActivity(adapter, new Conversation(claims, reference), { text: 'Hello' })
//   -> CloudAdapter.continueConversation -> createConnectorClientWithIdentity -> TurnContext.sendActivity
//   -> ConnectorClient.replyToActivity (native fetch, keep-alive) against reference.serviceUrl,
// in anonymous mode: the claims carry an empty `aud`, for which the adapter builds its connector
// client without a token (its "anonymous identity" branch); no token is ever requested.
//
// Nothing may leave 127.0.0.0/8: every socket connect is checked first, and one to any other host
// ends the process at once with exit status 3 and a message on stderr (the benchmark fails loudly
// instead of hanging on a login endpoint).
'use strict'

const net = require('node:net')

function loopback (host) {
  if (host === undefined || host === null || host === '' || host === 'localhost') return true
  const h = String(host).replace(/^\[|\]$/g, '')
  if (h === '::1' || h === '::ffff:127.0.0.1') return true
  return net.isIPv4(h) && h.startsWith('127.')
}

const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const first = args[0]
  let host
  let path
  if (Array.isArray(first)) { // the internal normalized form: [options, callback]
    host = first[0] && first[0].host
    path = first[0] && first[0].path
  } else if (first !== null && typeof first === 'object') {
    host = first.host
    path = first.path
  } else if (typeof first === 'string' && !/^\d+$/.test(first)) {
    path = first // a pipe or Unix socket path
  } else {
    host = typeof args[1] === 'string' ? args[1] : undefined
  }
  if (path === undefined && !loopback(host)) {
    process.stderr.write(`agents-js peer: refused a connection to ${host}: only 127.0.0.0/8 may be reached\n`)
    process.exit(3)
  }
  return connect.apply(this, args)
}

const fs = require('node:fs')
const readline = require('node:readline')
const { AgentApplication, CloudAdapter, MemoryStorage, Conversation } = require('@microsoft/agents-hosting')

// any configuration from the environment would turn on MSAL (and a login host): refuse it
for (const k of Object.keys(process.env)) {
  if (/^(clientId|clientSecret|tenantId|connections__|CONNECTIONS__)/i.test(k)) {
    process.stderr.write(`agents-js peer: unset ${k}: the peer runs anonymous only\n`)
    process.exit(2)
  }
}

const reference = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const adapter = new CloudAdapter()
const app = new AgentApplication({ storage: new MemoryStorage() })
const conversation = new Conversation({ aud: '' }, reference)

function send () {
  return app.proactive.sendActivity(adapter, conversation, { type: 'message', text: 'Hello' })
}

// closed loop: `concurrency` sends in flight until `millis` have passed, then wait for the last
async function run (concurrency, millis) {
  const t0 = process.hrtime.bigint()
  const end = t0 + BigInt(millis) * 1000000n
  let sends = 0
  let failures = 0
  let firstFailure
  async function worker () {
    while (process.hrtime.bigint() < end) {
      sends++
      try {
        const r = await send()
        if (!r || !r.id) throw new Error('no activity id in the answer')
      } catch (e) {
        failures++
        if (firstFailure === undefined) firstFailure = e
      }
    }
  }
  const workers = []
  for (let i = 0; i < concurrency; i++) workers.push(worker())
  await Promise.all(workers)
  const elapsed = process.hrtime.bigint() - t0
  if (firstFailure !== undefined) process.stderr.write(`agents-js peer: first failure: ${firstFailure}\n`)
  return `ok ${sends} ${elapsed} ${failures}`
}

const lines = readline.createInterface({ input: process.stdin })
let queue = Promise.resolve()
lines.on('line', (line) => {
  queue = queue.then(async () => {
    const [cmd, c, ms] = line.trim().split(/\s+/)
    if (cmd === 'run') {
      process.stdout.write((await run(Number(c), Number(ms))) + '\n')
    } else if (cmd) {
      process.stdout.write(`error unknown command ${cmd}\n`)
    }
  })
})
lines.on('close', () => { queue.then(() => process.exit(0)) })
process.stdout.write('ready\n')
