export { VOD_UPLOAD_QUEUE, VodUploadPayload, recordingIdOf, vodUploadJobId } from './vod-upload.js';
export { retryPolicy } from './policy.js';
