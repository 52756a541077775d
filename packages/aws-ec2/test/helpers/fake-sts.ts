import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small STS Query API server on 127.0.0.1 for the real AWS SDK: form-encoded `Action=AssumeRole`
 * in, `AssumeRoleResponse` XML (or an STS error document) out. Each reply hands out fresh
 * temporary keys (`ASIAFAKE...0001`, `...0002`, ...) so a test can tell which call signed what.
 */

export interface StsRequest {
  index: number;
  params: URLSearchParams;
  /** From the SigV4 Authorization header's credential scope: the caller's (source) key id. */
  accessKeyId?: string;
  region?: string;
  service?: string;
}

export type StsReply = { expiresInSeconds?: number } | { error: string; message?: string; status?: number } | { hang: true };

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface FakeSts {
  endpoint: string;
  requests: StsRequest[];
  /** What each successful AssumeRole handed out, in order. */
  issued: IssuedCredentials[];
  close(): Promise<void>;
}

export async function startFakeSts(handler: (request: StsRequest) => StsReply = () => ({})): Promise<FakeSts> {
  const requests: StsRequest[] = [];
  const issued: IssuedCredentials[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
      const request: StsRequest = {
        index: requests.length,
        params: new URLSearchParams(body),
        ...(scope ? { accessKeyId: scope[1], region: scope[2], service: scope[3] } : {}),
      };
      requests.push(request);
      if (request.params.get('Action') !== 'AssumeRole') return send(res, 400, errorXml('InvalidAction', `unsupported action ${request.params.get('Action')}`));
      const reply = handler(request);
      if ('hang' in reply) return;
      if ('error' in reply) return send(res, reply.status ?? 403, errorXml(reply.error, reply.message ?? `${reply.error} (fake)`));
      const n = String(issued.length + 1).padStart(4, '0');
      const credentials = { accessKeyId: `ASIAFAKEASSUMED0${n}`, secretAccessKey: `assumed-secret-${n}`, sessionToken: `assumed-session-token-${n}` };
      issued.push(credentials);
      const expiration = new Date(Date.now() + (reply.expiresInSeconds ?? 3600) * 1000).toISOString();
      send(res, 200, assumeRoleXml(request.params.get('RoleArn') ?? '', request.params.get('RoleSessionName') ?? '', credentials, expiration));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
  });
}

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(xml);
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function errorXml(code: string, message: string): string {
  return [
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    `<Error><Type>Sender</Type><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error>`,
    '<RequestId>fake-sts-request</RequestId>',
    '</ErrorResponse>',
  ].join('');
}

function assumeRoleXml(roleArn: string, session: string, c: IssuedCredentials, expiration: string): string {
  const role = roleArn.split('/').pop() ?? 'role';
  return [
    '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    '<AssumeRoleResult>',
    `<AssumedRoleUser><AssumedRoleId>AROAFAKE:${escape(session)}</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/${escape(role)}/${escape(session)}</Arn></AssumedRoleUser>`,
    `<Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${c.secretAccessKey}</SecretAccessKey><SessionToken>${c.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`,
    '</AssumeRoleResult>',
    '<ResponseMetadata><RequestId>fake-sts-request</RequestId></ResponseMetadata>',
    '</AssumeRoleResponse>',
  ].join('');
}
