import sqlalchemy as sa
from sqlalchemy import orm

BASE = orm.declarative_base()


class Backup(BASE):
    __tablename__ = 'backups'

    id = sa.Column(sa.String(36), primary_key=True)

    @property
    def name(self):
        return 'backup-%s' % self.id

    volume_id = sa.Column(sa.String(36), nullable=False)
    status = sa.Column(sa.String(255))
    size = sa.Column(sa.Integer)
    backup_metadata = orm.relationship(
        'BackupMetadata',
        back_populates='backup',
        primaryjoin='and_('
        'BackupMetadata.backup_id == Backup.id)',
        foreign_keys='BackupMetadata.backup_id',
    )

    @staticmethod
    def delete_values():
        return {'status': 'deleted'}


class BackupMetadata(BASE):
    __tablename__ = 'backup_metadata'

    id = sa.Column(sa.Integer, primary_key=True)
    key = sa.Column(sa.String(255))
    backup_id = sa.Column(sa.String(36), sa.ForeignKey('backups.id'))
    backup = orm.relationship(Backup, back_populates="backup_metadata",
                              foreign_keys=backup_id,
                              primaryjoin='and_('
                              'BackupMetadata.backup_id == Backup.id)')
