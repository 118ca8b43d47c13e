package dev.rollbackbot.mail;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.escalation.Page;
import dev.rollbackbot.escalation.Pager;
import dev.rollbackbot.incident.EventType;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;

/** Email pages through SMTP (Angus Mail), to a level's {@code email} addresses: plain text, with the card's link. */
public final class EmailPager implements Pager {
    private final MailSettings settings;
    private final Session session;

    public EmailPager(MailSettings settings) {
        this.settings = settings;
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", String.valueOf(settings.port()));
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "10000");
        p.put("mail.smtp.writetimeout", "10000");
        p.put("mail.smtp.starttls.enable", "true"); // used when the server offers it
        p.put("mail.smtp.starttls.required", String.valueOf(settings.requireStartTls()));
        p.put("mail.smtp.auth", String.valueOf(settings.user().isPresent()));
        Authenticator auth = settings.user().isEmpty() ? null : new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(settings.user().get(), settings.password().orElse(""));
            }
        };
        this.session = Session.getInstance(p, auth);
    }

    @Override
    public List<Delivery> send(Page page) {
        List<String> to = page.level().email();
        if (to.isEmpty()) {
            return List.of();
        }
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(settings.from()));
            for (String a : to) {
                m.addRecipient(Message.RecipientType.TO, new InternetAddress(a));
            }
            m.setSubject(subject(page), "UTF-8");
            m.setText(body(page), "UTF-8");
            Transport.send(m);
            return List.of(new Delivery(EventType.PAGE_EMAIL, null, page.level().name() + " emailed to " + String.join(", ", to)));
        } catch (MessagingException | RuntimeException e) {
            return List.of(Delivery.failed("email to " + String.join(", ", to), String.valueOf(e.getMessage())));
        }
    }

    static String subject(Page p) {
        return (p.incident().kind() == dev.rollbackbot.core.RollbackKind.DRILL ? "[DRILL] " : "") + "[" + p.incident().ref() + "] " + p.level().name() + " page (" + p.level().role() + "): "
                + p.incident().kind().word() + " rollback of " + p.incident().target();
    }

    static String body(Page p) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.incident().ref()).append(" — page ").append(p.pageNo()).append(" to ").append(p.level().name()).append(" (")
                .append(p.level().role()).append(")\n\n").append(p.happened().plain()).append("\n\nOpen for ")
                .append(Durations.human(p.openFor())).append(". Acknowledge within ").append(Durations.format(p.level().respondWithin()))
                .append(" or the next level is paged.\n");
        p.waitingOn().ifPresent(w -> sb.append("The approval is still waiting on ").append(w.plain()).append(".\n"));
        sb.append("\nAcknowledge with the Acknowledge button on the page in Slack, or /rollback ack ").append(p.incident().ref())
                .append('\n');
        p.link().ifPresent(l -> sb.append("The card: ").append(l).append('\n'));
        return sb.toString();
    }
}
