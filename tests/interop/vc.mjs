// Digital Bazaar's VC libraries as a peer for Cairn's interoperability tests.
// Reads one JSON request on stdin and writes one JSON answer on stdout:
//   {"action": "sign", "suite": "eddsa-rdfc-2022" | "eddsa-jcs-2022", "seed": "<hex>", "credential": {...}}
//   {"action": "verify", "credential": {...}}
//   {"action": "sign-presentation", "suite": ..., "seed": "<hex>", "credentials": [...], "challenge": "...", "domain": "..."}
//   {"action": "verify-presentation", "presentation": {...}, "challenge": "...", "domain": "..."}
// JSON-LD contexts come only from the folder named by CAIRN_CONTEXTS (Cairn's shipped copies);
// did:key documents are derived locally. Nothing is fetched.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfc} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createSignCryptosuite, createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';

const SUITES = {'eddsa-rdfc-2022': rdfc, 'eddsa-jcs-2022': createSignCryptosuite()};
const folder = process.env.CAIRN_CONTEXTS;
const index = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8'));
const contexts = Object.fromEntries(Object.entries(index).map(
  ([url, entry]) => [url, JSON.parse(readFileSync(join(folder, entry.file), 'utf8'))]));
contexts['https://w3id.org/security/multikey/v1'] = {'@context': {
  '@protected': true, id: '@id', type: '@type',
  Multikey: {'@id': 'https://w3id.org/security#Multikey', '@context': {
    '@protected': true, id: '@id', type: '@type',
    controller: {'@id': 'https://w3id.org/security#controller', '@type': '@id'},
    publicKeyMultibase: {'@id': 'https://w3id.org/security#publicKeyMultibase',
      '@type': 'https://w3id.org/security#multibase'}}}}};

function didKeyDocument(url) {
  const [did, fragment] = url.split('#');
  const multibase = did.slice('did:key:'.length);
  const method = {
    '@context': 'https://w3id.org/security/multikey/v1',
    id: `${did}#${multibase}`, type: 'Multikey', controller: did, publicKeyMultibase: multibase,
  };
  if (fragment) return method;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did, verificationMethod: [method], assertionMethod: [method.id], authentication: [method.id],
  };
}

async function documentLoader(url) {
  if (url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: didKeyDocument(url)};
  }
  if (url in contexts) {
    return {contextUrl: null, documentUrl: url, document: structuredClone(contexts[url])};
  }
  throw new Error(`refusing to load ${url}`);
}

async function keyFromSeed(hex) {
  const generated = await Ed25519Multikey.generate({seed: Buffer.from(hex, 'hex')});
  const did = `did:key:${generated.publicKeyMultibase}`;
  return Ed25519Multikey.from({...await generated.export({publicKey: true, secretKey: true, includeContext: true}),
    id: `${did}#${generated.publicKeyMultibase}`, controller: did});
}

const request = JSON.parse(readFileSync(0, 'utf8'));
let answer;
if (request.action === 'sign') {
  const key = await keyFromSeed(request.seed);
  const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite: SUITES[request.suite]});
  answer = await vc.issue({credential: request.credential, suite, documentLoader});
} else if (request.action === 'sign-presentation') {
  const key = await keyFromSeed(request.seed);
  const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite: SUITES[request.suite]});
  const presentation = vc.createPresentation({verifiableCredential: request.credentials, holder: key.controller});
  answer = await vc.signPresentation({
    presentation, suite, challenge: request.challenge, domain: request.domain, documentLoader});
} else {
  const suite = [new DataIntegrityProof({cryptosuite: rdfc}), new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()})];
  const result = request.action === 'verify-presentation'
    ? await vc.verify({presentation: request.presentation, challenge: request.challenge,
      domain: request.domain, suite, documentLoader})
    : await vc.verifyCredential({credential: request.credential, suite, documentLoader});
  answer = {verified: result.verified, error: result.error ? String(result.error.errors ?? result.error) : null};
}
process.stdout.write(JSON.stringify(answer));
