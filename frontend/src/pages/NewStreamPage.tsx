import { useNavigate } from 'react-router';
import { createStream } from '../api';
import { StreamForm } from '../components/forms/StreamForm';

export function NewStreamPage() {
  const navigate = useNavigate();
  return (
    <section className="narrow">
      <h1>New stream</h1>
      <StreamForm
        submitLabel="Create stream"
        onSubmit={async (input) => {
          const { stream } = await createStream(input);
          navigate(`/streams/${stream.id}`, { state: { created: true } });
        }}
        onCancel={() => navigate('/streams')}
      />
    </section>
  );
}
