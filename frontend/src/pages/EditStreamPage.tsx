import { useNavigate, useParams } from 'react-router';
import { getStream, updateStream } from '../api';
import { ErrorBanner, Loading } from '../components/Feedback';
import { StreamForm } from '../components/forms/StreamForm';
import { useApi } from '../hooks/useApi';

export function EditStreamPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useApi((signal) => getStream(id, signal), [id]);
  return (
    <section className="narrow">
      <h1>Edit stream</h1>
      {loading && <Loading />}
      {error != null && <ErrorBanner error={error} retry={reload} />}
      {data && (
        <StreamForm
          initial={{
            name: data.stream.name,
            description: data.stream.description ?? '',
            visibility: data.stream.visibility,
            record: data.stream.record,
            reconnectWindowSeconds: data.stream.reconnectWindowSeconds,
          }}
          submitLabel="Save changes"
          onSubmit={async (input) => {
            await updateStream(id, input);
            navigate(`/streams/${id}`);
          }}
          onCancel={() => navigate(`/streams/${id}`)}
        />
      )}
    </section>
  );
}
